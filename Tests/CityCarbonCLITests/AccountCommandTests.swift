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
