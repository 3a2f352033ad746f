import BDSCore
import Testing

@Suite("Short names of formal company names")
struct ShortNameTests {
    @Test(
        "Leading distinctive words, before a comma, a legal form or a generic word",
        arguments: [
            // Names as the UN OHCHR database writes them.
            ("Bezeq, the Israeli Telecommunications Corp. Ltd.", ["bezeq"]),
            ("Delta Galil Industries Ltd.", ["delta galil"]),
            ("Rami Levy Hashikma Marketing Communication Ltd.", ["rami levy hashikma", "rami levy"]),
            ("Motorola Solutions Inc.", ["motorola"]),
            ("Booking.com B.V.", ["booking"]),
            ("Expedia Group Inc.", ["expedia"]),
            ("Elbit Systems Ltd.", ["elbit"]),
            // Nothing shorter to say.
            ("Airbnb Inc.", []),
            ("The Walt Disney Company", []),
            ("Strauss Group", ["strauss"]),
            // A lone short word is never a short name.
            ("HP Group", []),
            ("Israel Discount Bank Ltd.", ["israel discount"]),
            ("Shikun & Binui Ltd.", []),
        ])
    func derived(name: String, expected: [String]) {
        #expect(ShortName.derive(from: name) == expected)
    }

    @Test(
        "Only a comma or several words make a short name strong enough to match",
        arguments: [
            ("Bezeq, the Israeli Telecommunications Corp. Ltd.", "bezeq", true),
            ("Delta Galil Industries Ltd.", "delta galil", true),
            ("Delta Israel Brands Ltd.", "delta", false),
            ("Motorola Solutions Inc.", "motorola", false),
            ("Booking.com B.V.", "booking", false),
        ])
    func strength(name: String, short: String, strong: Bool) {
        #expect(ShortName.deriveWithStrength(from: name).first == ShortName.Derived(name: short, strong: strong))
    }
}
