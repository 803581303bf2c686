import CarbonAccounting
import CarbonKit
import Foundation
import Testing
@testable import CityCarbonStore

/// Activity rows in blocks behave as a list of rows in import order: any sequence of imports
/// that refuse, replace or append, over several years and districts, leaves exactly the rows a
/// plain list would hold, in its order, and the counts, sources and pages agree with it.
@Suite("Activity rows in blocks, under any sequence of imports")
struct ActivityBlocksPropertyTests {
    /// The seeded generator the ingestion-order property uses.
    typealias Generator = IngestionOrderProperty.Generator

    struct Row: Equatable {
        var year: Int, district: String, ref: String, amount: Double, file: String
    }

    static let districts = ["North", "South"]
    static let refs = ["I.1.1", "I.2.1", "II.1.1"]

    @Test(arguments: [1, 2, 3, 4])
    func anySequenceOfImportsLeavesTheRowsAListWouldHold(seed: UInt64) throws {
        var g = Generator(state: seed)
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        let repository = ActivityRepository(db)
        var model: [Row] = []
        for step in 0..<12 {
            let file = "f\(step).csv"
            // One to forty rows over one or two years and both districts, in any order.
            let rows = (0..<g.int(1...40)).map { _ in
                Row(year: 2021 + g.int(0...1), district: Self.districts[g.int(0...1)], ref: Self.refs[g.int(0...2)],
                    amount: Double(g.int(1...999)), file: file)
            }
            let csv = "year,jurisdiction,gpc_ref,fuel,amount,unit\n"
                + rows.map { "\($0.year),\($0.district),\($0.ref),natural_gas,\(Int($0.amount)),TJ\n" }.joined()
            let pairs = Set(rows.map { "\($0.year) \($0.district)" })
            let held = model.contains { pairs.contains("\($0.year) \($0.district)") }
            switch g.int(0...2) {
            case 0:
                if held {
                    #expect(throws: InputErrors.self) { try repository.importCSV(bytes(csv), file: file) }
                } else {
                    try repository.importCSV(bytes(csv), file: file)
                    model += rows
                }
            case 1:
                let summary = try repository.importCSV(bytes(csv), file: file, existing: .replace)
                let replaced = model.filter { pairs.contains("\($0.year) \($0.district)") }.count
                #expect(summary.replacedRows == replaced)
                model.removeAll { pairs.contains("\($0.year) \($0.district)") }
                model += rows
            default:
                try repository.importCSV(bytes(csv), file: file, existing: .append)
                model += rows
            }
            for year in [2021, 2022] {
                let stored = try repository.load(year: year).records.map { ($0.jurisdiction, $0.gpcRef, $0.amount ?? -1) }
                let expected = model.filter { $0.year == year }.map { ($0.district, $0.ref, $0.amount) }
                #expect(stored.elementsEqual(expected, by: ==), "seed \(seed), step \(step), \(year)")
                for district in Self.districts {
                    let mine = model.filter { $0.year == year && $0.district == district }
                    let page = try repository.page(year: year, jurisdictions: [district], gpcPrefix: "I", offset: 1, limit: 5)
                    let wanted = mine.filter { $0.ref.hasPrefix("I.") }
                    #expect(page.total == wanted.count)
                    #expect(page.rows.map(\.amount) == wanted.dropFirst().prefix(5).map { Optional($0.amount) })
                    let files = try db.read { db in
                        try ActivityChunkStore.sourceFiles(db, year: year, jurisdictionID: try JurisdictionRepository.ids(db)[district]!)
                    }
                    #expect(files == Array(Set(mine.map(\.file))).sorted(), "seed \(seed), step \(step), \(district) \(year)")
                }
            }
            #expect(try repository.count() == model.count)
        }
    }
}
