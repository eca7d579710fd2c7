namespace ECommerce.Api.Data;

/// <summary>The catalogue an empty database starts with: categories, and products with their price and stock.</summary>
public static class SeedCatalog
{
    /// <summary>Categories as (slug, name).</summary>
    public static readonly (string Slug, string Name)[] Categories =
    [
        ("electronics", "Electronics"),
        ("books", "Books"),
        ("home", "Home & Kitchen"),
        ("sports", "Sports & Outdoors"),
        ("toys", "Toys & Games"),
        ("grocery", "Grocery"),
    ];

    /// <summary>Products as (category slug, name, description, price in cents, stock); the stock is also the restock level.</summary>
    public static readonly (string Category, string Name, string Description, int PriceCents, int Stock)[] Products =
    [
        ("electronics", "Wireless Mouse", "Two-button optical mouse with a USB receiver", 2499, 320),
        ("electronics", "Mechanical Keyboard", "Tenkeyless keyboard with brown switches", 8999, 140),
        ("electronics", "USB-C Charger 65W", "Gallium nitride wall charger, two ports", 3999, 260),
        ("electronics", "Noise Cancelling Headphones", "Over-ear, 30 hours of battery", 19999, 80),
        ("electronics", "27-inch Monitor", "1440p IPS panel, 144 Hz", 29999, 45),
        ("electronics", "Portable SSD 1TB", "USB 3.2 external solid-state drive", 10999, 120),
        ("electronics", "Webcam 1080p", "Full HD webcam with a privacy shutter", 4999, 150),
        ("electronics", "Smart Speaker", "Voice assistant speaker with room-filling sound", 5999, 12),
        ("books", "The Pragmatic Programmer", "Your journey to mastery, 20th anniversary edition", 4299, 200),
        ("books", "Site Reliability Engineering", "How Google runs production systems", 3999, 180),
        ("books", "Designing Data-Intensive Applications", "The big ideas behind reliable, scalable systems", 4599, 220),
        ("books", "Clean Code", "A handbook of agile software craftsmanship", 3799, 160),
        ("books", "Refactoring", "Improving the design of existing code", 4499, 140),
        ("books", "Prometheus: Up & Running", "Infrastructure and application performance monitoring", 4999, 90),
        ("books", "The Phoenix Project", "A novel about IT, DevOps and helping your business win", 1999, 250),
        ("books", "Database Internals", "A deep dive into how distributed data systems work", 5299, 8),
        ("home", "Chef's Knife", "20 cm stainless steel kitchen knife", 5999, 110),
        ("home", "Cast Iron Skillet", "Pre-seasoned 26 cm skillet", 3499, 130),
        ("home", "French Press", "1 litre glass coffee maker", 2799, 190),
        ("home", "Electric Kettle", "1.7 litre kettle with temperature control", 4999, 100),
        ("home", "Bath Towel Set", "Four cotton towels, 600 gsm", 3999, 170),
        ("home", "LED Desk Lamp", "Dimmable lamp with a USB port", 2999, 210),
        ("home", "Storage Boxes", "Set of three stackable boxes", 1999, 300),
        ("home", "Stand Mixer", "5 litre bowl, ten speeds", 24999, 6),
        ("sports", "Yoga Mat", "6 mm non-slip mat", 2499, 240),
        ("sports", "Running Shoes", "Lightweight road running shoes", 11999, 95),
        ("sports", "Water Bottle", "750 ml insulated steel bottle", 1999, 400),
        ("sports", "Resistance Bands", "Set of five bands with handles", 2299, 280),
        ("sports", "Camping Tent", "Two-person dome tent", 14999, 40),
        ("sports", "Bike Helmet", "Ventilated helmet with a rear light", 5499, 75),
        ("sports", "Dumbbell Pair 10kg", "Rubber-coated hex dumbbells", 6999, 60),
        ("sports", "Hiking Backpack", "40 litre pack with a rain cover", 8999, 10),
        ("toys", "Building Blocks Set", "500 pieces in a storage tub", 3999, 160),
        ("toys", "Jigsaw Puzzle 1000", "1000-piece landscape puzzle", 1799, 210),
        ("toys", "Board Game Classic", "Strategy game for two to four players", 3499, 120),
        ("toys", "Remote Control Car", "1:16 scale off-road car", 4999, 70),
        ("toys", "Plush Bear", "30 cm soft toy", 1499, 260),
        ("toys", "Science Kit", "Twenty experiments for ages 8 and up", 2999, 90),
        ("toys", "Card Game", "Fast party card game", 999, 350),
        ("toys", "Drone Mini", "Indoor quadcopter with prop guards", 5999, 7),
        ("grocery", "Coffee Beans 1kg", "Medium roast arabica", 2499, 380),
        ("grocery", "Green Tea 100 bags", "Sencha green tea", 899, 420),
        ("grocery", "Olive Oil 1L", "Extra virgin, cold pressed", 1299, 300),
        ("grocery", "Dark Chocolate", "85% cocoa, 100 g", 399, 500),
        ("grocery", "Pasta 500g", "Bronze-cut durum wheat spaghetti", 299, 600),
        ("grocery", "Basmati Rice 2kg", "Aged long-grain rice", 699, 350),
        ("grocery", "Honey 500g", "Raw wildflower honey", 999, 240),
        ("grocery", "Maple Syrup", "Grade A, 250 ml", 1499, 9),
    ];
}
