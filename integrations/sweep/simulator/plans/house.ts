/**
 * A family house on two floors. The ground floor (17 m x 20 m bounding box, L-shaped footprint) is the
 * large map: about 1000 x 1000 cells at 20 mm. The dock is on the ground floor, so a robot carried
 * upstairs cannot go home by itself. Stair wells are obstacles: a robot's cliff sensors keep it away.
 */
import { block, type FloorPlan, legs, rect } from "../floor-plan.ts";

export const house: FloorPlan = {
  id: "house",
  name: "House",
  floors: [
    {
      id: "ground",
      name: "Ground floor",
      rooms: [
        { id: "living", name: "Living room", rects: [rect(0, 0, 9000, 8000)] },
        { id: "hall", name: "Hall", rects: [rect(9000, 0, 12000, 14000)] },
        { id: "kitchen", name: "Kitchen", rects: [rect(0, 8000, 5000, 14000)] },
        { id: "dining", name: "Dining room", rects: [rect(5000, 8000, 9000, 14000)] },
        { id: "study", name: "Study", rects: [rect(12000, 8000, 17000, 14000)] },
        { id: "guest_wc", name: "Guest WC", rects: [rect(12000, 5000, 15000, 8000)] },
        { id: "conservatory", name: "Conservatory", rects: [rect(0, 14000, 7000, 20000)] },
      ],
      doors: [
        rect(8900, 2000, 9100, 3000), // living - hall
        rect(6000, 7900, 8500, 8100), // living - dining, open
        rect(4900, 9000, 5100, 12000), // kitchen - dining, open
        rect(8900, 10000, 9100, 11000), // dining - hall
        rect(11900, 9000, 12100, 10000), // hall - study
        rect(11900, 6000, 12100, 6900), // hall - guest wc
        rect(4000, 13900, 4900, 14100), // kitchen - conservatory
        rect(5500, 13900, 6900, 14100), // dining - conservatory
      ],
      furniture: [
        block("sofa", 1000, 5500, 4000, 6500),
        ...legs("coffee_table", rect(1500, 3800, 3500, 4800)),
        block("tv_cabinet", 1000, 50, 4000, 500),
        block("armchair", 6000, 4500, 7000, 5500),
        block("sideboard", 8500, 4000, 9000, 6000),
        block("counter", 0, 8000, 650, 14000),
        block("counter", 650, 13350, 4000, 14000),
        block("kitchen_island", 2000, 10500, 3500, 11800),
        ...legs("dining_table", rect(6500, 10000, 8500, 12500)),
        block("chair", 6800, 9450, 7250, 9900),
        block("chair", 7750, 9450, 8200, 9900),
        block("chair", 6800, 12600, 7250, 13050),
        block("chair", 7750, 12600, 8200, 13050),
        block("stairs", 9050, 11500, 10300, 14000),
        block("coat_rack", 11500, 3000, 12000, 4200),
        block("desk", 13500, 13300, 15500, 14000),
        block("bookshelf", 16500, 9000, 17000, 13500),
        block("toilet", 14400, 7400, 15000, 8000),
        block("basin", 12600, 7500, 13400, 8000),
        block("plant", 300, 19300, 800, 19800),
        ...legs("garden_table", rect(2500, 16000, 4500, 17500)),
        block("lounger", 5000, 18000, 6800, 19500),
      ],
      dock: { x: 10500, y: 300, angle: 90 },
      arrival: { x: 10500, y: 300, angle: 90 },
    },
    {
      id: "upstairs",
      name: "Upstairs",
      rooms: [
        { id: "master_bedroom", name: "Master bedroom", rects: [rect(0, 0, 5000, 8000)] },
        { id: "bathroom", name: "Bathroom", rects: [rect(0, 8000, 5000, 12000)] },
        { id: "landing", name: "Landing", rects: [rect(5000, 0, 8000, 14000)] },
        { id: "kids_room", name: "Kids' room", rects: [rect(8000, 0, 13000, 7000)] },
        { id: "office", name: "Office", rects: [rect(8000, 7000, 13000, 14000)] },
      ],
      doors: [
        rect(4900, 5000, 5100, 5900), // master bedroom - landing
        rect(4900, 9000, 5100, 9800), // bathroom - landing
        rect(7900, 2000, 8100, 2900), // kids' room - landing
        rect(7900, 8000, 8100, 8900), // office - landing
      ],
      furniture: [
        block("stair_well", 6700, 9500, 8000, 12500),
        block("bed", 1200, 5800, 3800, 8000),
        block("nightstand", 600, 7400, 1150, 8000),
        block("nightstand", 3850, 7400, 4400, 8000),
        block("wardrobe", 0, 200, 650, 3000),
        block("bathtub", 0, 11000, 1800, 12000),
        block("vanity", 3000, 8000, 4500, 8550),
        block("toilet", 4400, 11400, 5000, 12000),
        block("bed", 8000, 4900, 9000, 7000),
        block("desk", 11000, 0, 13000, 700),
        block("toy_box", 12200, 3000, 13000, 3800),
        block("desk", 10500, 13300, 13000, 14000),
        block("bookshelf", 12500, 7500, 13000, 11000),
        block("linen_cabinet", 5000, 12800, 5500, 13900),
      ],
      dock: null,
      arrival: { x: 6000, y: 10500, angle: 270 },
    },
  ],
};
