import CarbonAccounting
import CarbonKit
import CityProgramme
import Foundation
import Testing
@testable import CityCarbonStore

/// A fresh, empty workspace on the engine under test: a temporary SQLite file (WAL mode, as
/// users get it), or, when `CITYCARBON_TEST_POSTGRES` names a server, a new PostgreSQL
/// database on it. `.ci/run` runs this whole suite both ways.
func temporaryWorkspace() throws -> CityCarbonDatabase {
    if let server = TestPostgres.server {
        return try CityCarbonDatabase(postgres: try TestPostgres.createDatabase(on: server))
    }
    return try sqliteWorkspace()
}

func sqliteWorkspace() throws -> CityCarbonDatabase {
    let directory = try ScratchDirectory.make("store")
    return try CityCarbonDatabase(path: directory.appendingPathComponent("workspace.sqlite").path)
}

let activities = """
    year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,source,notation_key,ie_ref,note
    2022,North,I.1.1,natural_gas,1,TJ,,H,gas utility,,,
    2022,North,I.1.2,electricity,1000,MWh,grid:cn_east:2022,H,grid company,,,
    2022,South,I.3.1,raw_coal,100,t,CN2011,M,statistics bureau,,,
    2022,South,II.5.1,,,,,,,IE,II.1.1,in road transport
    2021,North,I.1.1,natural_gas,2,TJ,,H,gas utility,,,

    """

let jurisdictions = """
    name,level,parent,code
    Demo City,city,,330100
    North,district,Demo City,330102
    South,district,Demo City,330103

    """

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Workspace store")
struct StoreTests {
    @Test("Rows imported and computed from the store give the same inventory and fingerprint as the file itself")
    func sameAsFile() throws {
        let db = try temporaryWorkspace()
        let summary = try ActivityRepository(db).importCSV(bytes(activities), file: "activities.csv")
        #expect(summary.rows == 5)
        #expect(summary.years == [2021, 2022])
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        let stored = try InventoryRepository(db).compute(year: nil, gwp: gwp)
        let direct = try InventoryEngine.compute(ActivityCSV.read(activities, file: "activities.csv"), gwp: gwp)
        #expect(stored.totals(year: 2022) == direct.totals(year: 2022))
        #expect(stored.provenance.inputFingerprint == direct.provenance.inputFingerprint)
    }

    @Test("A copy of a SQLite workspace opens with the same rows, and neither changes the other afterwards")
    func copyOfAWorkspace() throws {
        let original = try sqliteWorkspace()
        _ = try ActivityRepository(original).importCSV(bytes(activities), file: "activities.csv")
        let file = try ScratchDirectory.make("copy").appendingPathComponent("copy.sqlite").path
        try original.copy(to: file)
        let copy = try CityCarbonDatabase(path: file)
        #expect(try ActivityRepository(copy).count() == 5)
        let more = activities.split(separator: "\n")[0] + "\n2023,North,I.1.1,natural_gas,3,TJ,,H,gas utility,,,\n"
        _ = try ActivityRepository(original).importCSV(bytes(String(more)), file: "more.csv")
        #expect(try ActivityRepository(original).count() == 6)
        #expect(try ActivityRepository(copy).count() == 5)
        // Over an existing file it refuses rather than overwrite.
        #expect(throws: (any Error).self) { try original.copy(to: file) }
    }

    @Test("A stored computation is decoded once and read back equal; a new computation is another id; the kept set is bounded")
    func computationsDecodedOnce() throws {
        let db = try temporaryWorkspace()
        try ActivityRepository(db).importCSV(bytes(activities), file: "activities.csv")
        let computed = try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR5"))
        let id = try #require(try InventoryRepository(db).latestID(year: 2022))
        let first = try InventoryRepository(db).inventory(id: id)
        #expect(first?.totals(year: 2022) == computed.totals(year: 2022))
        let again = try InventoryRepository(db).inventory(id: id)
        #expect(again?.provenance.inputFingerprint == first?.provenance.inputFingerprint && db.inventories.count == 1)
        _ = try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR6"))
        let next = try #require(try InventoryRepository(db).latestID(year: 2022))
        let recomputed = try InventoryRepository(db).inventory(id: next)
        #expect(next != id && recomputed?.gwp == "AR6")
        let missing = try InventoryRepository(db).inventory(id: 999_999)
        #expect(missing == nil)
        let small = DecodedInventories(capacity: 2)
        for i in 1...5 { _ = small.inventory(id: Int64(i)) { first } }
        #expect(small.count <= 2)
    }

    @Test("A file with one bad row imports nothing")
    func allOrNothing() throws {
        let db = try temporaryWorkspace()
        let bad = activities + "2022,North,I.1.1,natral_gas,1,TJ,,H,,,,\n"
        #expect(throws: InputErrors.self) { try ActivityRepository(db).importCSV(bytes(bad), file: "bad.csv") }
        #expect(try ActivityRepository(db).count() == 0)
        #expect(try JurisdictionRepository(db).tree().order.isEmpty)
    }

    @Test("Importing a year and jurisdiction again is refused, unless replaced or appended")
    func existingRows() throws {
        let db = try temporaryWorkspace()
        let repository = ActivityRepository(db)
        try repository.importCSV(bytes(activities), file: "a.csv")
        let again = "year,jurisdiction,gpc_ref,fuel,amount,unit\n2022,North,I.1.1,natural_gas,5,TJ\n"
        #expect(throws: InputErrors.self) { try repository.importCSV(bytes(again), file: "b.csv") }
        #expect(try repository.count() == 5)
        let replaced = try repository.importCSV(bytes(again), file: "b.csv", existing: .replace)
        #expect(replaced.replacedRows == 2)
        #expect(try repository.count() == 4)
        try repository.importCSV(bytes(again), file: "c.csv", existing: .append)
        #expect(try repository.count() == 5)
    }

    @Test("Replacing one district's rows keeps the other districts' rows of the same file, in their order")
    func replacingOneDistrictKeepsTheOthersInOrder() throws {
        let db = try temporaryWorkspace()
        let repository = ActivityRepository(db)
        try repository.importCSV(bytes(activities), file: "a.csv")
        let before = try repository.load(year: 2022).records
        let again = "year,jurisdiction,gpc_ref,fuel,amount,unit\n2022,North,I.1.1,natural_gas,5,TJ\n"
        try repository.importCSV(bytes(again), file: "b.csv", existing: .replace)
        let after = try repository.load(year: 2022).records
        #expect(after.filter { $0.jurisdiction == "South" } == before.filter { $0.jurisdiction == "South" })
        #expect(after.filter { $0.jurisdiction == "North" }.map(\.amount) == [5])
        #expect(try repository.page(year: 2022, jurisdictions: ["South"], gpcPrefix: "II", offset: 0, limit: 10).rows.map(\.gpcRef) == ["II.5.1"])
        #expect(try repository.load(year: 2021).count == 1)
    }

    @Test("With a jurisdiction tree, districts roll up to the city and unknown names are refused")
    func tree() throws {
        let db = try temporaryWorkspace()
        let result = try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        #expect(result.added == 3)
        _ = try ActivityRepository(db).importCSV(bytes(activities), file: "a.csv")
        let inventory = try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR5"))
        let by = inventory.byJurisdiction(year: 2022)
        #expect(by["Demo City"] == (by["North"] ?? 0) + (by["South"] ?? 0))
        let stranger = "year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,Nort,I.1.1,natural_gas,5,TJ\n"
        do {
            try ActivityRepository(db).importCSV(bytes(stranger), file: "s.csv")
            Issue.record("an unknown jurisdiction was accepted")
        } catch let error as InputErrors {
            #expect(error.issues.first?.suggestion == "did you mean 'North'?")
        }
    }

    @Test("A jurisdictions file with an unknown parent or level changes nothing")
    func badTree() throws {
        let db = try temporaryWorkspace()
        #expect(throws: InputErrors.self) {
            try JurisdictionRepository(db).importCSV(bytes("name,level,parent\nA,district,Nowhere\n"), file: "j.csv")
        }
        #expect(throws: InputErrors.self) {
            try JurisdictionRepository(db).importCSV(bytes("name,level,parent\nA,galaxy,\n"), file: "j.csv")
        }
        #expect(try JurisdictionRepository(db).tree().order.isEmpty)
    }

    @Test("A custom factor set is stored with its sources and used by name")
    func customFactors() throws {
        let db = try temporaryWorkspace()
        let csv = "fuel,quantity,value,unit,source,year\nelectricity,CO2,0.6,kg/kWh,Provincial grid company 2022 report,2022\n"
        let set = try FactorSetRepository(db).importCSV(bytes(csv), file: "local.csv", name: "local_grid", quality: .high)
        #expect(set.records.count == 1)
        _ = try ActivityRepository(db).importCSV(bytes("year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set\n2022,A,I.1.2,electricity,10,MWh,local_grid\n"), file: "a.csv")
        let inventory = try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR5"))
        #expect(abs(inventory.totals(year: 2022).scope2 - 6) < 1e-9)
        #expect(inventory.cells.first?.efQuality == .high)
        #expect(inventory.provenance.factorSets.map(\.name) == ["local_grid"])
    }

    @Test("A custom set cannot take a built-in name, and a bad factor file is refused")
    func customFactorErrors() throws {
        let db = try temporaryWorkspace()
        let csv = "fuel,quantity,value,unit,source\nelectricity,CO2,0.6,kg/kWh,x\n"
        #expect(throws: InputErrors.self) { try FactorSetRepository(db).importCSV(bytes(csv), file: "x.csv", name: "IPCC2006") }
        let bad = "fuel,quantity,value,unit,source\nelectricty,CO2,-1,kg/kWh,x\n"
        #expect(throws: InputErrors.self) { try FactorSetRepository(db).importCSV(bytes(bad), file: "x.csv", name: "x") }
        #expect(try FactorSetRepository(db).customSetNames().isEmpty)
    }

    @Test("A stored inventory loads back with its totals, notation keys and provenance")
    func storedInventory() throws {
        let db = try temporaryWorkspace()
        _ = try ActivityRepository(db).importCSV(bytes(activities), file: "a.csv")
        let computed = try InventoryRepository(db).compute(year: nil, gwp: GasCatalog.standard.gwpSet("AR6"))
        let loaded = try #require(try InventoryRepository(db).latest(year: 2022))
        #expect(loaded.totals(year: 2022) == computed.totals(year: 2022))
        #expect(loaded.gwp == "AR6")
        #expect(loaded.provenance == computed.provenance)
        #expect(loaded.cells.contains { $0.notationKeys.first?.key == .includedElsewhere })
        #expect(try InventoryRepository(db).list().map(\.year) == [2021, 2022])
    }

    @Test("Computing an empty workspace is an error, not an empty inventory")
    func emptyWorkspace() throws {
        let db = try temporaryWorkspace()
        #expect(throws: InputErrors.self) { try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR5")) }
    }
}

@Suite("Import and export round trip")
struct RoundTripTests {
    @Test("A file imported, computed in the workspace and exported as GPC CSV reads back to the file's own numbers")
    func importExport() throws {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        _ = try ActivityRepository(db).importCSV(bytes(activities), file: "a.csv")
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        _ = try InventoryRepository(db).compute(year: 2022, gwp: gwp)
        let stored = try #require(try InventoryRepository(db).latest(year: 2022))
        let exported = InventoryExport.csv(stored, year: 2022)
        let table = try ReferenceTable(name: "export.csv", text: exported)
        let direct = try InventoryEngine.compute(ActivityCSV.read(activities, file: "a.csv"), gwp: gwp)
        for cell in direct.cells(year: 2022) {
            let row = try #require(table.rows.first { $0["jurisdiction"] == cell.jurisdiction && $0["gpc_ref"] == cell.gpcRef })
            if cell.rows > 0 {
                #expect(Double(row["co2e_t"]) == cell.co2eTonnes, "\(cell.jurisdiction) \(cell.gpcRef)")
            } else {
                #expect(row["notation_key"] == cell.notationKeys.first?.key.rawValue)
            }
        }
    }
}

@Suite("Statistics and boundaries")
struct StatisticsAndBoundaryTests {
    func workspace() throws -> CityCarbonDatabase {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv")
        return db
    }

    @Test("Population and GDP import, and read back by jurisdiction and year")
    func statistics() throws {
        let db = try workspace()
        let count = try StatisticsRepository(db).importCSV(bytes("jurisdiction,year,population,gdp,gdp_unit\nNorth,2022,410000,512.5,10^8 CNY\nSouth,2022,380000,,\n"), file: "s.csv")
        #expect(count == 2)
        let north = try StatisticsRepository(db).all(jurisdiction: "North", edition: .current)
        #expect(north == [JurisdictionStatistic(jurisdiction: "North", year: 2022, population: 410_000, gdp: 512.5, gdpUnit: "10^8 CNY", source: nil)])
    }

    @Test("A bad statistics file names every problem and stores nothing")
    func badStatistics() throws {
        let db = try workspace()
        do {
            try StatisticsRepository(db).importCSV(bytes("jurisdiction,year,population\nNorht,2022,1\nSouth,20x2,1\nSouth,2022,-5\n"), file: "s.csv")
            Issue.record("accepted a bad file")
        } catch let error as InputErrors {
            #expect(error.issues.map { $0.location.row ?? 0 } == [2, 3, 4])
            #expect(error.issues.first?.suggestion == "did you mean 'North'?")
        }
        #expect(try StatisticsRepository(db).all(edition: .current).isEmpty)
    }

    @Test("Boundaries: a polygon per named jurisdiction; an open ring or an unknown name is refused whole")
    func boundaries() throws {
        let db = try workspace()
        let square = "[[[120.0,30.0],[120.1,30.0],[120.1,30.1],[120.0,30.1],[120.0,30.0]]]"
        let good = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"North"},"geometry":{"type":"Polygon","coordinates":\#(square)}}]}"#
        #expect(try BoundaryRepository(db).importGeoJSON(bytes(good), file: "b.geojson") == 1)
        #expect(try BoundaryRepository(db).featureCollection().contains(#""name":"North""#))
        let open = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"South"},"geometry":{"type":"Polygon","coordinates":[[[120.0,30.0],[120.1,30.0],[120.1,30.1],[120.0,30.1]]]}},{"type":"Feature","properties":{"name":"Nowhere"},"geometry":{"type":"Polygon","coordinates":\#(square)}}]}"#
        do {
            try BoundaryRepository(db).importGeoJSON(bytes(open), file: "b.geojson")
            Issue.record("accepted bad boundaries")
        } catch let error as InputErrors {
            #expect(error.issues.count == 2)
            #expect(error.issues.first?.location.field == "features[0].geometry.coordinates[0]")
            #expect(error.issues.first?.location.file == "b.geojson" && error.issues.first?.reason.hasPrefix("South: does not close") == true)
        }
        #expect(try BoundaryRepository(db).featureCollection().contains("South") == false)
        #expect(throws: InputErrors.self) { try BoundaryRepository(db).importGeoJSON(bytes("not json"), file: "b.geojson") }
    }

    @Test("Boundaries match by code as well as name, are served counter-clockwise, and a second import replaces them")
    func boundariesByCodeRewound() throws {
        let db = try workspace()
        let code = try #require(try JurisdictionRepository(db).tree().nodes["South"]?.code)
        // Clockwise, as many GIS tools write it, and named by its code as China's division files do.
        let clockwise = "[[[120.0,30.0],[120.0,30.1],[120.1,30.1],[120.1,30.0],[120.0,30.0]]]"
        let file = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":"\#(code)"},"geometry":{"type":"Polygon","coordinates":\#(clockwise)}}]}"#
        #expect(try BoundaryRepository(db).importGeoJSON(bytes(file), file: "b.geojson") == 1)
        let served = try BoundaryRepository(db).featureCollection()
        #expect(served.contains(#""name":"South""#) && served.contains("[[[120,30],[120.1,30],[120.1,30.1],[120,30.1],[120,30]]]"))
        let smaller = file.replacingOccurrences(of: "30.1", with: "30.05")
        try BoundaryRepository(db).importGeoJSON(bytes(smaller), file: "b2.geojson")
        #expect(try BoundaryRepository(db).featureCollection().contains("30.05") && !BoundaryRepository(db).featureCollection().contains("30.1]"))
    }

    @Test("Boundaries in another coordinate system, or two for one jurisdiction, are refused whole")
    func boundariesRefused() throws {
        let db = try workspace()
        let square = "[[[120.0,30.0],[120.1,30.0],[120.1,30.1],[120.0,30.1],[120.0,30.0]]]"
        let feature = #"{"type":"Feature","properties":{"name":"North"},"geometry":{"type":"Polygon","coordinates":\#(square)}}"#
        let projected = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[\#(feature)]}"#
        #expect {
            try BoundaryRepository(db).importGeoJSON(bytes(projected), file: "b.geojson")
        } throws: { ($0 as? InputErrors)?.issues.first?.location.field == "crs" }
        let twice = #"{"type":"FeatureCollection","features":[\#(feature),\#(feature)]}"#
        #expect {
            try BoundaryRepository(db).importGeoJSON(bytes(twice), file: "b.geojson")
        } throws: { ($0 as? InputErrors)?.issues.first?.reason.contains("second boundary for North") == true }
        #expect(try BoundaryRepository(db).featureCollection() == #"{"type":"FeatureCollection","features":[]}"#)
    }
}

@Suite("Documents decoded once by their text")
struct DecodedDocumentsTests {
    struct Item: Codable, Sendable, Equatable { var name: String }

    @Test("The same text gives the same value without parsing again; another text is parsed; bad JSON still throws; the set is bounded")
    func byContent() throws {
        let documents = DecodedDocuments<Item>(capacity: 3)
        #expect(try documents.decode(#"{"name":"a"}"#) == Item(name: "a"))
        #expect(try documents.decode(#"{"name":"a"}"#) == Item(name: "a") && documents.count == 1)
        #expect(try documents.decode(#"{"name":"b"}"#) == Item(name: "b") && documents.count == 2)
        #expect(throws: (any Error).self) { try documents.decode("{not json") }
        for i in 0..<10 { _ = try documents.decode(#"{"name":"\#(i)"}"#) }
        #expect(documents.count <= 3)
    }
}
