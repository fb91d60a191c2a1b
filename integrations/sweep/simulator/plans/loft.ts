/**
 * An open-plan loft (16 m x 12 m): living, kitchen, dining and sleeping areas with no walls between
 * them (wide openings), one walled bathroom, structural pillars and plenty of furniture.
 */
import { block, type FloorPlan, legs, rect } from "../floor-plan.ts";

export const loft: FloorPlan = {
  id: "loft",
  name: "Loft",
  floors: [
    {
      id: "main",
      name: "Loft",
      rooms: [
        { id: "living_area", name: "Living area", rects: [rect(0, 0, 9000, 7000)] },
        { id: "kitchen_area", name: "Kitchen area", rects: [rect(9000, 0, 16000, 5000)] },
        { id: "dining_area", name: "Dining area", rects: [rect(9000, 5000, 16000, 12000)] },
        { id: "sleeping_area", name: "Sleeping area", rects: [rect(0, 7000, 6000, 12000)] },
        { id: "bathroom", name: "Bathroom", rects: [rect(6000, 7000, 9000, 12000)] },
      ],
      doors: [
        rect(8900, 0, 9100, 5000), // living - kitchen, open
        rect(8900, 5000, 9100, 7000), // living - dining, open
        rect(9000, 4900, 16000, 5100), // kitchen - dining, open
        rect(1500, 6900, 6000, 7100), // living - sleeping, open beside a partial wall
        rect(7000, 6900, 7900, 7100), // living - bathroom door
      ],
      furniture: [
        block("pillar", 4350, 3350, 4650, 3650),
        block("pillar", 12350, 7350, 12650, 7650),
        block("sofa", 1000, 4200, 4000, 5100),
        block("sofa", 500, 1800, 1400, 4000),
        ...legs("coffee_table", rect(1900, 2400, 3400, 3400)),
        block("tv_stand", 1500, 0, 4000, 450),
        block("armchair", 6000, 1500, 6900, 2400),
        block("counter", 9000, 0, 16000, 650),
        block("kitchen_island", 11000, 2000, 14000, 3000),
        block("fridge", 15300, 650, 16000, 1500),
        ...legs("dining_table", rect(11000, 8500, 14000, 9900)),
        block("bench", 11200, 7900, 13800, 8300),
        block("bench", 11200, 10100, 13800, 10500),
        block("bed", 500, 9500, 2500, 12000),
        block("wardrobe", 4500, 11300, 6000, 12000),
        block("bathtub", 7200, 10500, 9000, 12000),
        block("toilet", 6000, 7500, 6600, 8100),
      ],
      dock: { x: 5000, y: 250, angle: 90 },
      arrival: { x: 5000, y: 250, angle: 90 },
    },
  ],
};
