import CarbonKit
import Testing
@testable import CarbonAccounting

/// Blocks of activity rows: what is written is what is read, in order, and a damaged block is
/// refused by name rather than read wrongly or crashing.
@Suite("Blocks of activity rows")
struct ActivityChunkTests {
    static let ids: [String: Int64] = ["North": 7, "South": 9, "中心区": 12]
    static let names: [Int64: String] = Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) })

    /// Rows with every field given, every field left out, explicit factors, a notation key,
    /// quality letters, empty and non-ASCII text.
    static let records: [ActivityRecord] = [
        ActivityRecord(year: 2022, jurisdiction: "North", gpcRef: "I.1.1", fuel: "natural_gas", amount: 12.5, unit: "TJ",
                       factorSet: "ipcc2006", adQuality: .high, efQuality: .medium, source: "gas utility", note: "", line: 2),
        ActivityRecord(year: 2022, jurisdiction: "中心区", gpcRef: "II.1.1", fuel: "diesel", technology: "road_heavy", amount: 3e-7, unit: "t",
                       co2KgPerUnit: 3_186, ch4KgPerUnit: 0.5, n2oKgPerUnit: nil, tdLossRate: nil, source: "交通局", note: "估算", line: 3),
        ActivityRecord(year: 2022, jurisdiction: "South", gpcRef: "I.2.3", notationKey: .includedElsewhere, ieRef: "I.2.1", line: 4),
        ActivityRecord(year: 2022, jurisdiction: "North", gpcRef: "I.1.2", amount: 1e308, unit: "MWh", tdLossRate: 0.045),
        ActivityRecord(year: 2022, jurisdiction: "South", gpcRef: "V.1", amount: 0, unit: "t", gas: "CH4", adQuality: .low, line: 1_000_000),
    ]

    func encoded(_ records: [ActivityRecord]) -> [ActivityChunk.Encoded] {
        let table = ActivityTable(records)
        return ActivityChunk.encode(table, rows: Array(0..<table.count), jurisdictionID: table.jurisdictionNames.map { Self.ids[$0]! })
    }

    func decoded(_ bytes: [UInt8], keep: Set<Int64>? = nil) throws -> [ActivityRecord] {
        var table = ActivityTable()
        try ActivityChunk.decode(bytes, year: 2022, name: { Self.names[$0] }, keep: keep, into: &table)
        return table.records
    }

    @Test func everyFieldOfEveryRowComesBackInOrder() throws {
        let blocks = encoded(Self.records)
        #expect(blocks.count == 1)
        #expect(try decoded(blocks[0].bytes) == Self.records)
    }

    @Test func aBlockCountsItsRowsOfEachJurisdictionById() {
        let counts = Dictionary(uniqueKeysWithValues: encoded(Self.records)[0].rowsByJurisdiction.map { ($0.id, $0.rows) })
        #expect(counts == [7: 2, 12: 1, 9: 2])
    }

    @Test func keepingSomeJurisdictionsReadsOnlyTheirRowsInOrder() throws {
        #expect(try decoded(encoded(Self.records)[0].bytes, keep: [9]) == Self.records.filter { $0.jurisdiction == "South" })
    }

    @Test func rowsBeyondABlocksCapacityGoToTheNextBlockInOrder() throws {
        let many = (0..<(ActivityChunk.capacity + 3)).map {
            ActivityRecord(year: 2022, jurisdiction: $0 % 2 == 0 ? "North" : "South", gpcRef: "I.1.1", fuel: "natural_gas", amount: Double($0),
                           unit: "TJ", line: $0 + 2)
        }
        let blocks = encoded(many)
        #expect(blocks.count == 2)
        #expect(try decoded(blocks[0].bytes) + decoded(blocks[1].bytes) == many)
    }

    @Test func aRenamedJurisdictionIsReadUnderItsNewNameWithoutRewritingTheBlock() throws {
        var table = ActivityTable()
        try ActivityChunk.decode(encoded(Self.records)[0].bytes, year: 2022, name: { $0 == 7 ? "North Central" : Self.names[$0] }, into: &table)
        #expect(table.records.filter { $0.jurisdiction == "North Central" }.count == 2)
    }

    @Test func everyCutShortBlockIsRefusedAsDamaged() {
        let bytes = encoded(Self.records)[0].bytes
        for length in 0..<bytes.count {
            #expect(throws: ActivityChunk.Damaged.self) { try decoded(Array(bytes[0..<length])) }
        }
    }

    @Test func aBlockNamingAJurisdictionThatIsGoneIsRefused() {
        #expect(throws: ActivityChunk.Damaged.self) {
            var table = ActivityTable()
            try ActivityChunk.decode(encoded(Self.records)[0].bytes, year: 2022, name: { $0 == 9 ? nil : Self.names[$0] }, into: &table)
        }
    }

    /// Any byte changed to any value either still reads or is refused; nothing crashes.
    @Test func changedBytesAreReadOrRefusedNeverCrash() {
        let bytes = encoded(Self.records)[0].bytes
        var refused = 0
        for at in 0..<bytes.count {
            for value: UInt8 in [0, 1, 0x7F, 0x80, 0xFF] where value != bytes[at] {
                var changed = bytes
                changed[at] = value
                do { _ = try decoded(changed) } catch is ActivityChunk.Damaged { refused += 1 } catch { Issue.record("\(error)") }
            }
        }
        #expect(refused > 0)
    }
}
