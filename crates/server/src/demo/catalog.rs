//! The demo store's fixed catalogue: products, buyers' names and cities, cancel reasons and
//! feedback comments.

/// The main demo seller's products: name and price in euro cents.
pub const LUMEN_PRODUCTS: &[(&str, i64)] = &[
    ("Stoneware Mug, Sage", 1890),
    ("Stoneware Mug, Sand", 1890),
    ("Linen Table Runner", 3450),
    ("Linen Napkins, Set of 4", 2890),
    ("Hand-thrown Serving Bowl", 6400),
    ("Ceramic Vase, Small", 2750),
    ("Ceramic Vase, Tall", 4900),
    ("Beeswax Candle Pair", 1450),
    ("Soy Candle, Fig & Cedar", 2200),
    ("Olive Wood Cutting Board", 3900),
    ("Olive Wood Salad Servers", 2400),
    ("Wool Throw, Oat", 11900),
    ("Wool Throw, Charcoal", 11900),
    ("Cotton Cushion Cover", 2990),
    ("Rattan Bread Basket", 2150),
    ("Terracotta Planter, 14 cm", 1990),
    ("Terracotta Planter, 20 cm", 2890),
    ("Glass Carafe", 3290),
    ("Tumbler Glasses, Set of 4", 2590),
    ("Enamel Coffee Pot", 4450),
    ("Pour-over Dripper", 2790),
    ("Espresso Cups, Pair", 2390),
    ("Brass Candle Holder", 3690),
    ("Marble Coaster Set", 2490),
    ("Walnut Serving Tray", 5900),
    ("Linen Apron", 3890),
    ("Tea Towel, Striped", 1290),
    ("Handwoven Basket, Large", 6900),
    ("Jute Doormat", 3290),
    ("Stoneware Plate, Dinner", 2290),
    ("Stoneware Plate, Side", 1690),
    ("Pasta Bowl, Speckled", 2490),
    ("Butter Dish", 2190),
    ("Salt Cellar with Spoon", 1590),
    ("Wall Hook, Oak", 1190),
    ("Woven Wall Hanging", 7900),
    ("Incense Holder, Ceramic", 1390),
    ("Notebook, Recycled Linen", 1790),
    ("Herb Scissors", 2690),
    ("Gift Card", 5000),
];

/// The second demo seller's products: name and price in pence.
pub const HARBOUR_PRODUCTS: &[(&str, i64)] = &[
    ("Waxed Canvas Tote", 4800),
    ("Merino Beanie", 2400),
    ("Fisherman Jumper", 9500),
    ("Enamel Camping Mug", 1450),
    ("Leather Key Fob", 1200),
    ("Wool Socks, Two Pairs", 1800),
    ("Oilskin Cap", 3200),
    ("Field Notebook", 950),
    ("Canvas Roll Bag", 6200),
    ("Brass Compass", 3900),
    ("Thermal Flask", 2900),
    ("Rope Dog Lead", 2200),
];

pub const FIRST_NAMES: &[&str] = &[
    "Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Emma", "Paul", "Clara", "Elias", "Léa",
    "Hugo", "Chloé", "Louis", "Giulia", "Marco", "Sofia", "Luca", "Lucía", "Pablo", "Inès",
    "Mateo", "Eva", "Noah", "Julia", "Tom", "Mila", "Finn", "Zoé", "Oskar", "Amélie", "David",
    "Laura", "Jan", "Nora", "Matteo", "Ida", "Emil", "Hanna", "Leon",
];

pub const LAST_NAMES: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Dubois",
    "Martin",
    "Bernard",
    "Rossi",
    "Russo",
    "Bianchi",
    "García",
    "Fernández",
    "López",
    "Jansen",
    "de Vries",
    "Bakker",
    "Nowak",
    "Kowalski",
    "Novák",
    "Andersson",
    "Nielsen",
    "Hansen",
    "Virtanen",
    "Silva",
    "Santos",
    "Moreau",
    "Laurent",
    "Costa",
    "Peeters",
    "Lambert",
    "Huber",
];

/// Cities of the euro-area buyers: city and ISO 3166-1 country code.
pub const EU_CITIES: &[(&str, &str)] = &[
    ("Berlin", "DE"),
    ("Hamburg", "DE"),
    ("Munich", "DE"),
    ("Cologne", "DE"),
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("Bordeaux", "FR"),
    ("Amsterdam", "NL"),
    ("Utrecht", "NL"),
    ("Brussels", "BE"),
    ("Ghent", "BE"),
    ("Vienna", "AT"),
    ("Milan", "IT"),
    ("Turin", "IT"),
    ("Madrid", "ES"),
    ("Valencia", "ES"),
    ("Lisbon", "PT"),
    ("Dublin", "IE"),
    ("Helsinki", "FI"),
    ("Luxembourg", "LU"),
];

/// Cities of the second seller's buyers.
pub const UK_CITIES: &[(&str, &str)] = &[
    ("London", "GB"),
    ("Bristol", "GB"),
    ("Leeds", "GB"),
    ("Glasgow", "GB"),
    ("Cardiff", "GB"),
    ("Brighton", "GB"),
    ("York", "GB"),
    ("Belfast", "GB"),
];

pub const UK_CARRIERS: &[&str] = &["Royal Mail", "DPD", "Evri"];

pub const SELLER_CANCEL_REASONS: &[&str] = &[
    "Out of stock",
    "Item damaged during packing; a replacement is weeks away",
    "The buyer asked us to cancel by message",
    "Cannot ship to this address",
];

pub const BUYER_CANCEL_NOTES: &[&str] = &[
    "Ordered by mistake",
    "Found it cheaper elsewhere",
    "Delivery takes too long",
];

/// Feedback comments by rating (index 0 is one star).
pub const COMMENTS: [&[&str]; 5] = [
    &["Arrived broken and nobody answered my messages."],
    &[
        "Took far too long to arrive.",
        "Smaller than in the photos.",
    ],
    &["Fine, nothing special.", "Nice item, slow delivery."],
    &["Lovely quality, would buy again.", "Well packed and quick."],
    &[
        "Absolutely beautiful, thank you!",
        "Perfect gift, beautifully wrapped.",
        "Exactly as described and fast shipping.",
        "Fantastic craftsmanship.",
    ],
];
