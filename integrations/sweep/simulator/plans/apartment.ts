/**
 * A two-bedroom-style city apartment on one floor (10 m x 8.5 m, five rooms). The corner behind the
 * bookshelf and the sofa is walled in by furniture: real maps have such pockets, and they exercise the
 * "unreachable" paths (a goto there is refused, a full clean skips it).
 */
import { block, type FloorPlan, legs, rect } from "../floor-plan.ts";

export const apartment: FloorPlan = {
  id: "apartment",
  name: "Apartment",
  floors: [
    {
      id: "main",
      name: "Main floor",
      rooms: [
        { id: "living", name: "Living room", rects: [rect(0, 0, 6000, 5000)] },
        { id: "kitchen", name: "Kitchen", rects: [rect(6000, 0, 10000, 3000)] },
        // L-shaped: the corridor along the living room plus the entrance leading up to the bathroom.
        {
          id: "hallway",
          name: "Hallway",
          rects: [rect(6000, 3000, 10000, 5000), rect(8000, 5000, 10000, 8500)],
        },
        { id: "bedroom", name: "Bedroom", rects: [rect(0, 5000, 5000, 8500)] },
        { id: "bathroom", name: "Bathroom", rects: [rect(5000, 5000, 8000, 8500)] },
      ],
      doors: [
        rect(5900, 3700, 6100, 4600), // living - hallway
        rect(5900, 500, 6100, 2300), // living - kitchen, a wide pass-through
        rect(7000, 2900, 7900, 3100), // kitchen - hallway
        rect(3800, 4900, 4700, 5100), // living - bedroom
        rect(7900, 6000, 8100, 6800), // hallway - bathroom
      ],
      furniture: [
        block("bookshelf", 0, 3300, 1600, 3650),
        block("sofa", 1600, 3300, 2400, 5000),
        ...legs("coffee_table", rect(2900, 3600, 4100, 4200)),
        block("tv_stand", 50, 800, 450, 2800),
        block("armchair", 4600, 1000, 5400, 1800),
        block("counter", 6100, 0, 10000, 600),
        ...legs("dining_table", rect(7200, 1300, 8800, 2200)),
        block("chair", 7400, 900, 7800, 1250),
        block("chair", 8200, 900, 8600, 1250),
        block("fridge", 9350, 2000, 10000, 2950),
        block("bed", 1000, 6500, 2800, 8500),
        block("nightstand", 500, 8000, 1000, 8500),
        block("nightstand", 2800, 8000, 3300, 8500),
        block("wardrobe", 4400, 6000, 5000, 8000),
        block("bathtub", 5000, 7700, 6800, 8500),
        block("toilet", 7400, 8000, 7950, 8500),
        block("sink", 5600, 5000, 6600, 5500),
        block("shoe_cabinet", 9600, 5500, 10000, 6500),
      ],
      dock: { x: 3000, y: 250, angle: 90 },
      arrival: { x: 7000, y: 4200, angle: 0 },
    },
  ],
};
