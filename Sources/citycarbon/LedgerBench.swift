import ArgumentParser
import CarbonKit
import CarbonMarkets
import CityCarbonStore
import Foundation

/// `citycarbon bench ledger`: durable allowance transfers, each approved by a second
/// representative and checked against the sender's held blocks, from many clients at once.
struct LedgerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Time durable allowance transfers (four-eyes approval, balance and block checks, hash chain, audit) and the compliance of many enterprises.",
        discussion: """
        Opens --accounts trading accounts in a fresh SQLite workspace (or, with --postgres, a
        fresh database on that server, dropped afterwards), issues each 1,000,000 allowances,
        then sends --transfers transfers of 1–100 units between random accounts from --clients
        concurrent clients. Every transfer is checked (representatives, trusted list and delay,
        held blocks) and split off its blocks, written with its hash-chained entry and audit
        event, and acknowledged only after its commit is on disk; transfers arriving together
        share a commit. After each run the whole ledger is verified. Then it grades and assesses
        the compliance of --enterprises enterprises. Prints each run and the medians.
        """
    )

    @Option(help: "Trading accounts.") var accounts = 1_000
    @Option(help: "Transfers per run.") var transfers = 100_000
    @Option(help: "Concurrent clients, each sending one transfer at a time.") var clients = 512
    @Option(help: "Measured runs, each in a fresh workspace.") var runs = 3
    @Option(help: ArgumentHelp("Skip the clients: one writer applies the transfers in commits of this many (the ledger's own cost).", valueName: "n"))
    var directBatch: Int?
    @Option(help: "Enterprises to grade and assess.") var enterprises = 10_000
    @Option(help: ArgumentHelp("Directory for the workspaces (default: the temporary directory).", valueName: "dir")) var directory: String?
    @Option(help: ArgumentHelp("Run on this PostgreSQL server instead, in a new database per run.", valueName: "postgres://user@host:port/db")) var postgres: String?

    func validate() throws {
        if accounts < 2 || transfers < 1 || clients < 1 || runs < 1 || enterprises < 1 {
            throw ValidationError("--accounts must be at least 2; --transfers, --clients, --runs and --enterprises at least 1")
        }
        if let postgres, PostgresLocation(url: postgres) == nil { throw ValidationError("--postgres must be a URL like postgres://postgres@127.0.0.1:5432/postgres") }
    }

    func run() throws {
        let server = postgres.flatMap(PostgresLocation.init(url:))
        print("citycarbon bench ledger: \(accounts) accounts, \(GroupedNumber.format(Double(transfers), decimals: 0)) transfers per run from \(clients) clients, \(server.map { "PostgreSQL at \($0)" } ?? "SQLite"), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        var rates: [Double] = []
        for run in 1...runs {
            let folder = URL(fileURLWithPath: directory ?? NSTemporaryDirectory()).appendingPathComponent("citycarbon-ledger-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let benchName = "citycarbon_bench_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            let database = try server.map { try CityCarbonDatabase(postgres: try CityCarbonDatabase.createPostgresDatabase(benchName, on: $0)) }
                ?? CityCarbonDatabase(path: folder.appendingPathComponent("bench.sqlite").path)
            defer { if let server { try? CityCarbonDatabase.dropPostgresDatabase(benchName, on: server) } }
            try Self.openAccounts(database, count: accounts)
            let queue = LedgerCommitQueue(database)
            let operations = Self.transfers(count: transfers, accounts: accounts, run: run)
            let start = ContinuousClock.now
            var (completed, refused) = (0, 0)
            if let directBatch {
                let registry = AllowanceRegistry(database)
                var first = 0
                while first < operations.count {
                    let batch = Array(operations[first..<min(operations.count, first + max(1, directBatch))])
                    for result in try registry.apply(batch) { if case .success = result { completed += 1 } else { refused += 1 } }
                    first += batch.count
                }
            } else {
                (completed, refused) = try Self.send(operations, through: queue, clients: clients)
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let verification = try AllowanceRegistry(database).verify()
            guard verification.isIntact else { throw ValidationError("run \(run): the ledger does not verify: \(verification)") }
            let rate = Double(completed) / seconds
            let pieces = try database.read { db in
                try Double.fetchOne(db, sql: """
                    SELECT AVG(LENGTH(blocks) - LENGTH(REPLACE(blocks, ',', '')) + 1) FROM ledger_entry WHERE kind = 'transfer'
                    """) ?? 0
            }
            rates.append(rate)
            print(String(format: "run %d: %@ transfers in %.2f s = %@ transfers/s (%d refused) in %d durable commits, %.2f blocks per transfer; ledger of %d entries verified",
                         run, GroupedNumber.format(Double(completed), decimals: 0), seconds, GroupedNumber.format(rate, decimals: 0), refused,
                         queue.commits, pieces, verification.entries))
        }
        var assessments: [Double] = []
        for _ in 1...runs { assessments.append(Self.gradeAndAssess(enterprises)) }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "median: %@ transfers/s; grading and compliance of %@ enterprises: median %.1f ms; peak memory %.0f MB",
                     GroupedNumber.format(Self.median(rates), decimals: 0), GroupedNumber.format(Double(enterprises), decimals: 0),
                     Self.median(assessments) * 1000, Double(usage.ru_maxrss) / 1024))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static let opened = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    static func openAccounts(_ database: CityCarbonDatabase, count: Int) throws {
        let registry = AllowanceRegistry(database)
        var operations: [LedgerOperation] = []
        for index in 0..<count {
            let id = "TR-\(index)"
            operations.append(.openAccount(RegistryAccount(id: id, kind: .trading, holder: "Enterprise \(index)", name: "Trader \(index)",
                                                           representatives: [.init(login: "\(id)-a", role: .authorised),
                                                                             .init(login: "\(id)-b", role: .authorised)])))
            operations.append(.issue(to: id, unit: "CEA", vintage: 2025, amount: 1_000_000, by: "registrar", reference: "issue-\(id)"))
        }
        for result in try registry.apply(operations, at: opened) { _ = try result.get() }
    }

    /// Transfers between random accounts, approved a week before they run, so the delay outside trusted lists has passed.
    static func transfers(count: Int, accounts: Int, run: Int) -> [LedgerOperation] {
        var state = UInt64(run) &* 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let approved = Date().addingTimeInterval(-7 * 86_400)
        return (0..<count).map { index in
            let from = next(accounts)
            var to = next(accounts - 1)
            if to >= from { to += 1 }
            return .transfer(Transfer(from: "TR-\(from)", to: "TR-\(to)", amount: Int64(1 + next(100)), unit: "CEA",
                                      proposedBy: "TR-\(from)-a", approvedBy: "TR-\(from)-b", approvedAt: approved, reference: "bench-\(index)"))
        }
    }

    /// Sends `operations` from `clients` concurrent clients and waits for every acknowledgement.
    static func send(_ operations: [LedgerOperation], through queue: LedgerCommitQueue, clients: Int) throws -> (completed: Int, refused: Int) {
        let outcome = Outcome()
        let group = DispatchGroup()
        group.enter()
        Task {
            await withTaskGroup(of: (Int, Int).self) { tasks in
                for client in 0..<clients {
                    tasks.addTask {
                        var completed = 0, refused = 0
                        var index = client
                        while index < operations.count {
                            do { _ = try await queue.submit(operations[index]); completed += 1 } catch { refused += 1 }
                            index += clients
                        }
                        return (completed, refused)
                    }
                }
                for await (completed, refused) in tasks { outcome.add(completed, refused) }
            }
            group.leave()
        }
        group.wait()
        return outcome.totals
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var completed = 0, refused = 0
        func add(_ c: Int, _ r: Int) { lock.withLock { completed += c; refused += r } }
        var totals: (Int, Int) { lock.withLock { (completed, refused) } }
    }

    /// Seconds to grade (two years, for the trend, across 40 industries and 13 districts, with
    /// the supervision list and the summaries) and assess the compliance of `count` enterprises.
    static func gradeAndAssess(_ count: Int) -> Double {
        var state: UInt64 = 7
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        func inputs(year: Int) -> [CarbonEfficiencyAssessment.Input] {
            (0..<count).map { index in
                .init(enterprise: "E\(index)", name: "Enterprise \(index)", industry: String(3000 + index % 40), jurisdiction: "D\(index % 13)",
                      year: year, co2: 20_000 + 2_000_000 * unit(), valueAdded: 10_000 + 500_000 * unit(), basis: .verified)
            }
        }
        let current = inputs(year: 2023), previous = inputs(year: 2022)
        let surrenders = (0..<count).map { _ in 0.8 + 0.3 * unit() }
        let day = Day("2025-01-01")!
        let start = ContinuousClock.now
        let assessment = CarbonEfficiencyAssessment(current, previous: previous)
        let supervised = assessment.supervisionList.count, districts = assessment.byDistrict.count, industries = assessment.byIndustry.count
        var codes: [ComplianceStatus.Code: Int] = [:]
        for (input, share) in zip(current, surrenders) {
            let position = CompliancePosition.assess(enterprise: input.enterprise, year: 2023, verified: input.co2,
                                                     allocated: Int64(input.co2 * 0.95), surrenderedAllowances: Int64(input.co2 * share),
                                                     surrenderedOffsets: 0, on: day)
            codes[position.status.code, default: 0] += 1
        }
        let elapsed = ContinuousClock.now - start
        precondition(assessment.results.count == count && codes.values.reduce(0, +) == count && supervised > 0 && districts == 13 && industries == 40)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
