import CityCarbonStore
import Foundation
import GRDB
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A workspace with two districts, an office (Acme) with a 15-minute electricity meter and a gas register.
func monitoringCLI() throws -> (cli: CLI, database: String) {
    let cli = try CLI()
    let database = cli.directory.appendingPathComponent("w.sqlite").path
    #expect(try cli.run("init", "--database", database).status == 0)
    let jurisdictions = try cli.write("j.csv", "name,level,parent\nDemo City,city,\nNorth,district,Demo City\nSouth,district,Demo City\n")
    #expect(try cli.run("import", "jurisdictions", jurisdictions, "--database", database).status == 0)
    let sites = try cli.write("sites.csv", "key,name,kind,use,jurisdiction,organisation,gpc_ref,floor_area_m2\noffice-1,Acme tower,building,office,North,Acme,I.2,12000\n")
    #expect(try cli.run("monitor", "sites", sites, "--database", database).status == 0)
    let streams = try cli.write("streams.csv", """
        key,site,quantity,unit,kind,interval_s,multiplier,rollover_at
        office-1/elec,office-1,electricity,kWh,interval,900,,
        office-1/gas,office-1,natural_gas,m3,cumulative,900,1,100000

        """)
    #expect(try cli.run("monitor", "datastreams", streams, "--database", database).status == 0)
    return (cli, database)
}

@Suite("citycarbon ingest and monitor")
struct MonitoringCommandTests {
    @Test func ingestReportsWhatItStoredAndTheSecondRunOnlyDuplicates() throws {
        let (cli, database) = try monitoringCLI()
        var csv = "datastream,time,value\n"
        for i in 1...96 { csv += "office-1/elec,\(1_795_536_000 + i * 900),\(10 + i % 4)\n" }
        let file = try cli.write("day.csv", csv)
        let first = try cli.run("ingest", file, "--database", database)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("96 new"))
        let again = try cli.run("ingest", file, "--database", database)
        #expect(again.stdout.contains("0 new") && again.stdout.contains("96 duplicates"))
    }

    @Test func aFileReadInManyChunksIsCheckedWholeBeforeAnythingIsWritten() throws {
        let (cli, database) = try monitoringCLI()
        var csv = "datastream,time,value\n"
        for i in 1...300 { csv += "office-1/elec,\(1_795_536_000 + i * 900),\(10 + i % 4)\n" }
        let good = try cli.write("many.csv", csv)
        // Row 301 (the 300th reading) is bad, in the last of many 1 kB chunks.
        let bad = try cli.write("late-error.csv", csv.replacingOccurrences(of: "\(1_795_536_000 + 300 * 900),", with: "noon,"))
        let refused = try cli.run("ingest", bad, "--chunk-bytes", "1000", "--batch", "50", "--database", database)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("row 301"))
        let count = { try DatabaseQueue(path: database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") } }
        #expect(try count() == 0)
        let stored = try cli.run("ingest", good, "--chunk-bytes", "1000", "--batch", "50", "--database", database)
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stdout.contains("300 new"))
        #expect(try count() == 300)
    }

    @Test func ingestFromStandardInputReadsSenML() throws {
        let (cli, database) = try monitoringCLI()
        let pack = #"[{"bn":"office-1/","bt":1795536900,"n":"elec","u":"kWh","v":12},{"n":"elec","t":900,"v":13}]"#
        let result = try cli.run(["ingest", "-", "--format", "senml", "--database", database], input: pack)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 new"))
    }

    @Test func aBadRowIsNamedAndNothingIsWritten() throws {
        let (cli, database) = try monitoringCLI()
        let file = try cli.write("bad.csv", "datastream,time,value\noffice-1/elec,1795536900,12\noffice-1/elecc,1795537800,13\n")
        let result = try cli.run("ingest", file, "--database", database)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.csv") && result.stderr.contains("row 3") && result.stderr.contains("office-1/elecc"))
        let count = try DatabaseQueue(path: database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM monitor_reading") }
        #expect(count == 0)
    }

    @Test func gapsAndAlertsAreListed() throws {
        let (cli, database) = try monitoringCLI()
        let file = try cli.write("gappy.csv", "datastream,time,value\noffice-1/gas,2026-11-25T00:15:00Z,5000\noffice-1/gas,2026-11-25T01:15:00Z,5010\noffice-1/gas,2026-11-25T01:30:00Z,3\n")
        let ingest = try cli.run("ingest", file, "--database", database)
        #expect(ingest.stdout.contains("Gaps: 1, 3 readings missing"))
        #expect(ingest.stdout.contains("1 reset"))
        let gaps = try cli.run("monitor", "gaps", "office-1/gas", "--from", "2026-11-25T00:00:00Z", "--to", "2026-11-25T01:30:00Z", "--database", database)
        #expect(gaps.stdout.contains("2026-11-25T00:15:00Z") && gaps.stdout.contains("3"))
        let alerts = try cli.run("monitor", "alerts", "--database", database)
        #expect(alerts.stdout.contains("reset") && alerts.stdout.contains("office-1/gas"))
    }

    @Test func theYearsMeteredConsumptionBecomesActivityRowsThatGiveTheInventoryTheSameEmissions() throws {
        let (cli, database) = try monitoringCLI()
        // A year of one reading a day (interval meters may be daily too): 2023, priced by MEE's 2023 factor.
        var csv = "datastream,time,value\n"
        var register = 1000.0
        for day in 0..<365 {
            let t = 1_672_502_400 + (day + 1) * 86_400  // 2023-01-01T00:00+08:00 + whole days
            register += 10
            csv += "office-1/elec,\(t),100\noffice-1/gas,\(t),\(register)\n"
        }
        let file = try cli.write("year.csv", csv)
        #expect(try cli.run("ingest", file, "--database", database).status == 0)
        let activities = try cli.run("monitor", "reconcile", "--year", "2023", "--activities", "--database", database)
        #expect(activities.stdout.contains("2023,North,I.2.2,electricity,36500,kWh,grid:cn_national:2023"))
        #expect(activities.stdout.contains("2023,North,I.2.1,natural_gas,3640,m3,IPCC2006"))
        let rows = try cli.write("activities.csv", activities.stdout)
        #expect(try cli.run("import", "activities", rows, "--database", database).status == 0)
        #expect(try cli.run("inventory", "compute", "--year", "2023", "--gwp", "AR5", "--database", database).status == 0)
        #expect(try cli.run("inventory", "publish", "--year", "2023", "--database", database).status == 0)
        let metered = try DatabaseQueue(path: database).read { db in
            try Double.fetchOne(db, sql: "SELECT SUM(kg_co2e) FROM monitor_datastream_day WHERE day BETWEEN ? AND ?", arguments: [19_358, 19_358 + 364])!
        }
        let inventory = try DatabaseQueue(path: database).read { db in
            try Double.fetchOne(db, sql: "SELECT SUM(co2e_t) FROM inventory_cell WHERE gpc_ref IN ('I.2.1', 'I.2.2')")!
        }
        #expect(abs(inventory * 1000 - metered) < 1e-6 * metered)
        let reconcile = try cli.run("monitor", "reconcile", "--year", "2023", "--database", database)
        #expect(reconcile.stdout.contains("100.0 %"))
    }
}

@Suite("Durability of acknowledged readings")
struct CrashTests {
    @Test("After kill -9 of the server, every reading it acknowledged is in the database, and the roll-ups agree with the readings")
    func killNineLosesNothingAcknowledged() async throws {
        let (cli, database) = try monitoringCLI()
        let key = try cli.run("key", "create", "acme-bms", "--role", "integration", "--organisation", "Acme", "--database", database).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("cck_"))
        let port = try freePort()
        let server = Process()
        server.executableURL = CLI.executable
        server.arguments = ["serve", "--database", database, "--port", "\(port)", "--log-level", "error"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let base = URL(string: "http://127.0.0.1:\(port)")!
        var up = false
        for _ in 0..<100 where !up {
            up = (try? await URLSession.shared.data(from: base.appendingPathComponent("healthz")))?.1 is HTTPURLResponse
            if !up { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(up)
        // 22,000 quarter-hours ending well before now: inside the window readings are accepted in.
        let start = (Int(Date().timeIntervalSince1970) / 900 - 25_000) * 900
        func batch(_ n: Int) -> URLRequest {
            var request = URLRequest(url: base.appendingPathComponent("api/v1/readings"))
            request.httpMethod = "POST"
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            request.setValue("text/csv", forHTTPHeaderField: "Content-Type")
            var csv = "datastream,time,value\n"
            for i in 0..<2000 { csv += "office-1/elec,\(start + (n * 2000 + i + 1) * 900),\(i % 7 + 1)\n" }
            request.httpBody = Data(csv.utf8)
            return request
        }
        var acknowledged = 0
        for n in 0..<10 {
            let (_, response) = try await URLSession.shared.data(for: batch(n))
            if (response as? HTTPURLResponse)?.statusCode == 200 { acknowledged += 2000 }
        }
        #expect(acknowledged == 20_000)
        // One more batch in flight, then the power cord.
        let inFlight = Task { try? await URLSession.shared.data(for: batch(10)) }
        try await Task.sleep(for: .milliseconds(15))
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        _ = await inFlight.value
        let queue = try DatabaseQueue(path: database)
        let (stored, integrity, hours, readings) = try await queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM monitor_reading")!,
             try String.fetchOne(db, sql: "PRAGMA integrity_check")!,
             try Double.fetchOne(db, sql: "SELECT SUM(consumption) FROM monitor_hour")!,
             try Double.fetchOne(db, sql: "SELECT SUM(consumption) FROM monitor_reading")!)
        }
        // Everything acknowledged; the batch in flight wholly or not at all.
        #expect(stored == acknowledged || stored == acknowledged + 2000, "\(stored) readings after the crash, \(acknowledged) acknowledged")
        #expect(integrity == "ok")
        #expect(hours == readings)
    }

    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
