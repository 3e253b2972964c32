/// Word lists that make seeded records read like a real catalog.
enum SeedVocabulary {
    static let adjectives = [
        "Classic", "Vintage", "Organic", "Slim", "Relaxed", "Premium", "Everyday", "Urban", "Coastal", "Alpine",
        "Heritage", "Studio", "Essential", "Travel", "Summer", "Winter",
    ]
    static let colors = [
        "Black", "White", "Navy", "Olive", "Sand", "Burgundy", "Sky Blue", "Charcoal", "Coral", "Forest Green",
        "Mustard", "Lavender",
    ]
    static let products = [
        "T-Shirt", "Hoodie", "Cap", "Tote Bag", "Mug", "Backpack", "Sneakers", "Water Bottle", "Notebook",
        "Sweatshirt", "Beanie", "Socks", "Jacket", "Scarf",
    ]
    static let sizes = ["XS", "S", "M", "L", "XL", "XXL"]
    static let firstNames = [
        "Ada", "Bruno", "Chiara", "Diego", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kira", "Luca",
        "Maya", "Nils", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara",
    ]
    static let lastNames = [
        "Rossi", "Smith", "Müller", "García", "Dubois", "Tanaka", "Kowalski", "Silva", "Jensen", "O'Brien",
        "Novak", "Costa", "Bianchi", "Meyer", "Nakamura", "Ferrari",
    ]
    static let streets = [
        "Via Roma", "Main Street", "Baker Street", "Rue de Rivoli", "Hauptstraße", "Gran Vía", "Elm Avenue",
        "Harbour Road", "Canal Street", "Station Road",
    ]
    static let cities: [(city: String, zip: String, state: String, country: String)] = [
        ("Milan", "20121", "MI", "IT"), ("Florence", "50123", "FI", "IT"), ("New York", "10001", "NY", "US"),
        ("Newark", "07102", "NJ", "US"), ("London", "EC1A 1BB", "LND", "GB"), ("Manchester", "M1 1AE", "MAN", "GB"),
        ("Berlin", "10115", "BE", "DE"), ("Lyon", "69001", "ARA", "FR"),
    ]
    static let tags = [
        "new-arrival", "bestseller", "eco", "limited", "sale", "gift-idea", "bundle-only", "vip", "wholesale",
        "clearance", "back-in-stock", "staff-pick", "summer-2026", "winter-2026", "organic-cotton", "recycled",
        "made-in-italy", "fragile", "oversize", "preorder",
    ]
}
