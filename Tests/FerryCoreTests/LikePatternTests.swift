import Testing
@testable import FerryCore

@Suite struct LikePatternTests {
    @Test(arguments: [
        ("Red Shirt", "red%", true), ("Red Shirt", "%SHIRT", true), ("Red Shirt", "r_d shirt", true),
        ("Red Shirt", "red", false), ("", "%", true), ("", "_", false), ("a%b", "a\\%b", true), ("axb", "a\\%b", false),
        ("a_b", "a\\_b", true), ("acb", "a\\_b", false), ("Émile", "émile", false), ("Émile", "Émile", true),
        ("Émile", "_mile", true), ("abcabc", "%b%c", true), ("abc", "%%%", true), ("back\\slash", "%\\\\%", true),
    ])
    func matchesLikeSQLite(text: String, pattern: String, expected: Bool) {
        #expect(LikePattern.matches(text, pattern: pattern) == expected)
    }

    @Test func escapedTextMatchesOnlyItself() {
        for text in ["50%", "a_b", "back\\slash", "plain"] {
            #expect(LikePattern.matches(text, pattern: LikePattern.escape(text)))
            #expect(!LikePattern.matches(text + "x", pattern: LikePattern.escape(text)))
        }
    }
}
