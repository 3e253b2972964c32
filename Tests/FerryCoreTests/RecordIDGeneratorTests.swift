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
            #expect(id.first == "A")
        }
    }

    @Test func idsSortInTheOrderTheyWereMade() {
        var generator = RecordIDGenerator(key: 7)
        var previous = ""
        var seen = Set<String>()
        for _ in 0..<200_000 {
            let id = generator.next()
            #expect(id > previous, "text order is creation order")
            previous = id
            seen.insert(id)
        }
        #expect(seen.count == 200_000)
    }

    @Test func sameKeySameSequenceOtherKeyOtherIds() {
        var a = RecordIDGenerator(key: 7), b = RecordIDGenerator(key: 7), c = RecordIDGenerator(key: 8)
        var differs = 0
        for _ in 0..<10_000 {
            let id = a.next()
            #expect(id == b.next())
            if id != c.next() { differs += 1 }
        }
        #expect(differs > 9_900)
    }

    @Test func aGeneratorContinuesAfterTheLastId() {
        var first = RecordIDGenerator(key: 1)
        var last = ""
        for _ in 0..<500 { last = first.next() }
        #expect(RecordIDGenerator.counter(of: last) == 500)
        var next = RecordIDGenerator(key: 99, after: last)
        #expect(next.next() > last)
        #expect(RecordIDGenerator.counter(of: "not-an-id!") == nil)
        var fresh = RecordIDGenerator(key: 3, after: nil)
        #expect(RecordIDGenerator.counter(of: fresh.next()) == 1)
    }
}
