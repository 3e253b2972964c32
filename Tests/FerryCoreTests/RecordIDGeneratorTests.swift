import Testing
@testable import FerryCore

@Suite struct RecordIDGeneratorTests {
    @Test func idsLookLikeCommerceLayerIds() {
        var generator = RecordIDGenerator(key: 42)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        for _ in 0..<1000 {
            let id = generator.next()
            #expect(id.count == 10)
            #expect(id.allSatisfy(alphabet.contains))
        }
    }

    @Test func sameKeySameSequenceAndNoRepeats() {
        var a = RecordIDGenerator(key: 7)
        var b = RecordIDGenerator(key: 7)
        var c = RecordIDGenerator(key: 8)
        var seen = Set<String>()
        var differs = false
        for _ in 0..<200_000 {
            let id = a.next()
            #expect(id == b.next())
            if id != c.next() { differs = true }
            seen.insert(id)
        }
        #expect(seen.count == 200_000)
        #expect(differs)
    }

    @Test func scrambleIsABijectionOnASmallWindow() {
        // Distinct inputs give distinct outputs: checked exhaustively over a window of inputs.
        let outputs = Set((0..<UInt64(100_000)).map { RecordIDGenerator.scramble($0, key: 99) })
        #expect(outputs.count == 100_000)
    }
}
