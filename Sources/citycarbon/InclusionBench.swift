import ArgumentParser
import CarbonInclusion
import CarbonKit
import CityCarbonStore
import Foundation

/// `citycarbon bench inclusion`: partners' signed posts of residents' behaviour, taken as the
/// server takes them — signature and nonce, decoding, the fraud screen, the ledger — and
/// acknowledged only once durable.
struct InclusionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inclusion",
        abstract: "Time durable carbon-inclusion intake: signed posts checked, decoded, screened for fraud and credited to the ledger.",
        discussion: """
        Registers two partners in a fresh SQLite workspace (or, with --postgres, a fresh database
        on that server, dropped afterwards) and prepares --events events of --accounts residents
        (steps, metro and bus trips, bike rides, parcel boxes; about one in fifty a duplicate
        from the other partner or an implausible speed) in signed posts of --batch events. Then
        --clients concurrent clients send the posts: each is checked (HMAC signature, timestamp,
        single-use nonce), decoded and validated field by field, screened (caps, speed, overlap and
        duplicates across partners, velocity), credited to the hash-chained points ledger and
        committed with its audit event before it is acknowledged. After each run the whole ledger
        is reconciled. Prints each run and the medians.
        """
    )

    @Option(help: "Events per run.") var events = 1_000_000
    @Option(help: "Residents posting.") var accounts = 100_000
    @Option(help: "Events per signed post.") var batch = 1_000
    /// Enough to keep both stages of intake busy (``InclusionCommitQueue``): each client waits
    /// for its post to be durable before sending the next, as a partner's connection does.
    @Option(help: "Concurrent clients, each sending one post at a time.") var clients = 64
    @Option(help: "The most events one durable commit takes (the server's default unless given).") var commitEvents: Int?
    @Option(help: "Measured runs, each in a fresh workspace.") var runs = 3
    @Option(help: ArgumentHelp("Directory for the workspaces (default: the temporary directory).", valueName: "dir")) var directory: String?
    @Option(help: ArgumentHelp("Run on this PostgreSQL server instead, in a new database per run.", valueName: "postgres://user@host:port/db")) var postgres: String?

    func validate() throws {
        if events < 1 || accounts < 1 || runs < 1 || clients < 1 || !(1...PartnerBatch.maximumEvents).contains(batch)
            || !(1...1_000_000).contains(commitEvents ?? 1) {
            throw ValidationError("--events, --accounts, --runs and --clients must be at least 1; --batch 1 to \(PartnerBatch.maximumEvents); --commit-events 1 to 1,000,000")
        }
        if let postgres, PostgresLocation(url: postgres) == nil { throw ValidationError("--postgres must be a URL like postgres://postgres@127.0.0.1:5432/postgres") }
    }

    struct Post: Sendable {
        var partner: String
        var timestamp: String
        var nonce: String
        var signature: String
        var body: Data
    }

    static let path = "/api/v1/inclusion/events"

    func run() throws {
        let server = postgres.flatMap(PostgresLocation.init(url:))
        print("citycarbon bench inclusion: \(GroupedNumber.format(Double(events), decimals: 0)) events per run from \(GroupedNumber.format(Double(accounts), decimals: 0)) residents in posts of \(batch), \(clients) clients, \(server.map { "PostgreSQL at \($0)" } ?? "SQLite"), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        var rates: [Double] = []
        for run in 1...runs {
            try BenchWorkspace.run("inclusion", directory: directory, server: server) { database in
                let partners = InclusionPartners(database)
                let scenarios = ["walk", "metro", "bus", "cycle", "parcel-box"]
                let secrets = [try partners.register(code: "amap", name: "Map app", scheme: "city", scenarios: scenarios, by: "bench").signingSecret,
                               try partners.register(code: "transit", name: "Transit card", scheme: "city", scenarios: scenarios, by: "bench").signingSecret]
                let posts = Self.posts(events: events, accounts: accounts, batch: batch, secrets: secrets, run: run)
                let start = ContinuousClock.now
                let (counts, commits, busy) = try Self.send(posts, database: database, clients: clients, commitEvents: commitEvents)
                let elapsed = ContinuousClock.now - start
                let seconds = Self.seconds(elapsed)
                let reconciliation = try InclusionReads(database).reconcile()
                guard reconciliation.balanced else { throw ValidationError("run \(run): the ledger does not reconcile: \(reconciliation)") }
                let rate = Double(counts.values.reduce(0, +)) / seconds
                rates.append(rate)
                let decisions = ScreeningOutcome.Decision.allCases.map { "\(counts[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                print(String(format: "run %d: %@ events in %.2f s = %@ events/s (%@) in %d durable commits; ledger of %@ lines reconciled",
                             run, GroupedNumber.format(Double(events), decimals: 0), seconds, GroupedNumber.format(rate, decimals: 0), decisions,
                             commits, GroupedNumber.format(Double(reconciliation.entries), decimals: 0)))
                // The stage busy nearest the whole time is the one that limits intake.
                print(String(format: "  busy: screening %.2f s, writing %.2f s", Self.seconds(busy.screen), Self.seconds(busy.write)))
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "median: %@ events/s; peak memory %.0f MB", GroupedNumber.format(LedgerBench.median(rates), decimals: 0),
                     Double(usage.ru_maxrss) / 1024))
    }

    /// Signed posts of a day's behaviour ending now, alternating between the two partners.
    static func posts(events: Int, accounts: Int, batch: Int, secrets: [String], run: Int) -> [Post] {
        var random = SeededRandom(seed: UInt64(run) &* 0x9E37_79B9_7F4A_7C15)
        func next(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        let now = Int64(Date().timeIntervalSince1970)
        let zone = 8 * 3600
        func time(_ seconds: Int64) -> String {
            let local = seconds + Int64(zone)
            let day = Day(ordinal: Day(year: 1970, month: 1, day: 1)!.ordinal + Int(local / 86_400))
            let second = Int(local % 86_400)
            return String(format: "%@T%02d:%02d:%02d+08:00", day.description, second / 3600, second / 60 % 60, second % 60)
        }
        var posts: [Post] = []
        var last: [String: Any]?
        var index = 0
        while index < events {
            let partner = posts.count % 2
            var list: [[String: Any]] = []
            for _ in 0..<min(batch, events - index) {
                let account = "did:city:\(next(accounts))"
                let started = now - 3600 - Int64(next(20 * 3600))
                var event: [String: Any] = ["serial": "\(partner)-\(index)", "account": account, "evidence": "operator",
                                            "started_at": time(started), "device": "dev-\(account.dropFirst(9))"]
                switch next(5) {
                case 0:
                    event["scenario"] = "walk"
                    event["activity"] = [["name": "steps", "unit": "step", "value": String(1_000 + next(15_000))]]
                case 1, 2:
                    let kilometres = 2 + next(25)
                    event["scenario"] = next(2) == 0 ? "metro" : "bus"
                    event["ended_at"] = time(started + Int64(kilometres * 150 + next(600)))
                    event["activity"] = [["name": "distance", "unit": "km", "value": String(kilometres)]]
                case 3:
                    let kilometres = 1 + next(8)
                    event["scenario"] = "cycle"
                    event["navigation"] = true
                    // One ride in fifty is implausibly fast.
                    event["ended_at"] = time(started + Int64(next(50) == 0 ? kilometres * 60 : kilometres * 240))
                    event["activity"] = [["name": "distance", "unit": "m", "value": String(kilometres * 1000)]]
                default:
                    event["scenario"] = "parcel-box"
                    event["activity"] = [["name": "boxes", "unit": "box", "value": "1"]]
                }
                // One event in fifty repeats the last trip of the other partner's post.
                if next(50) == 0, var copy = last, copy["ended_at"] != nil {
                    copy["serial"] = "\(partner)-\(index)"
                    event = copy
                }
                if event["ended_at"] != nil { last = event }
                list.append(event)
                index += 1
            }
            let body = try! JSONSerialization.data(withJSONObject: ["events": list])
            let nonce = "n-\(run)-\(posts.count)-\(random.next() % 1_000_000)"
            let timestamp = String(now)
            posts.append(Post(partner: partner == 0 ? "amap" : "transit", timestamp: timestamp, nonce: nonce,
                              signature: PartnerSignature.sign(secret: secrets[partner], timestamp: timestamp, nonce: nonce, method: "POST",
                                                               path: path, body: body), body: body))
        }
        return posts
    }

    /// Sends the posts from `clients` concurrent clients, each doing what the server does with
    /// one: check, decode, and hand the post to the group commit, waiting until it is durable.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func send(_ posts: [Post], database: CityCarbonDatabase, clients: Int, commitEvents: Int?) throws
        -> (counts: [String: Int], commits: Int, busy: (screen: Duration, write: Duration)) {
        let partners = InclusionPartners(database)
        let known = try Dictionary(uniqueKeysWithValues: ["amap", "transit"].map { ($0, try partners.signingSecret(of: $0)!) })
        let queue = commitEvents.map { InclusionCommitQueue(database, maximumEvents: $0) } ?? InclusionCommitQueue(database)
        let counts = Counts()
        let failure = Counts()
        let group = DispatchGroup()
        group.enter()
        Task {
            await withTaskGroup(of: Void.self) { tasks in
                for client in 0..<clients {
                    tasks.addTask {
                        var index = client
                        while index < posts.count {
                            let post = posts[index]
                            index += clients
                            let (partner, secret) = known[post.partner]!
                            if let refusal = PartnerSignature.verify(secret: secret, timestamp: post.timestamp, nonce: post.nonce, signature: post.signature,
                                                                     method: "POST", path: path, body: post.body, now: Int64(Date().timeIntervalSince1970)) {
                                failure.add(refusal.description)
                                continue
                            }
                            switch PartnerBatch.decode(post.body, partner: partner.code, scheme: partner.scheme) {
                            case let .failure(errors): failure.add(errors.description)
                            case let .success(events):
                                do {
                                    let posted = try await queue.submit(.init(events: events, partner: partner, nonce: post.nonce))
                                    var local: [String: Int] = [:]
                                    for event in posted { local[event.outcome.decision.rawValue, default: 0] += 1 }
                                    counts.add(local)
                                } catch { failure.add("\(error)") }
                            }
                        }
                    }
                }
            }
            group.leave()
        }
        group.wait()
        if let first = failure.values.keys.first { fatalError("a post was refused: \(first)") }
        return (counts.values, queue.commits, queue.busy)
    }

    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func add(_ key: String) { lock.withLock { counts[key, default: 0] += 1 } }
        func add(_ more: [String: Int]) { lock.withLock { for (key, value) in more { counts[key, default: 0] += value } } }
        var values: [String: Int] { lock.withLock { counts } }
    }
}
