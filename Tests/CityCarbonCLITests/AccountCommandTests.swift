import CityCarbonStore
import Foundation
import Testing

@Suite("citycarbon account and key")
struct AccountCommandTests {
    @Test("The first admin is created with the password on standard input, never in the arguments")
    func addAdmin() throws {
        let cli = try CLI()
        try cli.run("init")
        let added = try cli.run(["account", "add", "alice", "--role", "admin", "--display-name", "Alice Li"], input: "a long enough password\n")
        #expect(added.status == 0, "\(added.stderr)")
        let list = try cli.run("account", "list")
        #expect(list.stdout.contains("alice") && list.stdout.contains("Alice Li") && list.stdout.contains("admin"))
        let database = try CityCarbonDatabase(path: cli.directory.appendingPathComponent("citycarbon.sqlite").path)
        #expect(try AccountRepository(database).authenticate(username: "alice", password: "a long enough password") != nil)
    }

    @Test("A bad account is refused with every problem and exit 1; no password is a usage error")
    func badAccount() throws {
        let cli = try CLI()
        try cli.run("init")
        let bad = try cli.run(["account", "add", "Bob Smith", "--role", "editor"], input: "short\n")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("username") && bad.stderr.contains("password") && bad.stderr.contains("organisation"))
        #expect(try cli.run(["account", "add", "bob", "--role", "viewer"], input: "").status == 2)
        #expect(try cli.run(["account", "add", "bob", "--role", "superuser"], input: "a long enough password\n").status == 2)
    }

    @Test("An API key is printed once on standard output and listed by its prefix only")
    func createKey() throws {
        let cli = try CLI()
        try cli.run("init")
        let created = try cli.run("key", "create", "gateway", "--role", "viewer")
        #expect(created.status == 0)
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("cck_"))
        let list = try cli.run("key", "list")
        #expect(list.stdout.contains("gateway") && !list.stdout.contains(secret))
        #expect(try cli.run("key", "revoke", "1").status == 0)
        #expect(try cli.run("key", "revoke", "1").status == 1)
    }
}

@Suite("citycarbon plan")
struct PlanCommandTests {
    @Test("A plan sheet imports, lists, and re-imports as updates; a bad sheet exits 1 naming its line")
    func importAndList() throws {
        let cli = try CLI()
        try cli.run("init")
        let sheet = try cli.write("plan.csv", """
            kind,identifier,parent,name_en,name_zh,status,organisation,end_date
            area,A1,,Transport,交通,,,
            action,1,A1,Bike lanes by 2025,2025年建成自行车道,in_progress,Urban Environment Division,2025-12-31
            action,2,A1,Tram programme,有轨电车发展计划,not_started,,
            """)
        let imported = try cli.run("plan", "import", sheet, "--plan", "city-2035", "--name-en", "City 2035")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("2 actions added"))
        #expect(try cli.run("plan", "list").stdout.contains("city-2035"))
        let late = try cli.run("plan", "actions", "--plan", "city-2035", "--late")
        #expect(late.stdout.contains("Bike lanes by 2025") && late.stdout.contains("late"), "its end date has passed")
        #expect(!late.stdout.contains("Tram programme"))
        let chinese = try cli.run("plan", "actions", "--plan", "city-2035", "--language", "zh-Hans")
        #expect(chinese.stdout.contains("有轨电车发展计划"))
        let bad = try cli.write("bad.csv", "kind,identifier,status\naction,1,finished\n")
        let refused = try cli.run("plan", "import", bad, "--plan", "city-2035")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("finished") && refused.stderr.contains("2"))
    }
}
