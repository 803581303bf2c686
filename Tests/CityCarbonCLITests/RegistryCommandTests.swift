import Foundation
import Testing

@Suite("citycarbon registry")
struct RegistryCommandTests {
    /// A workspace with an allocation account, an operator and the retirement account, 100,000 CEA issued.
    static func registry() throws -> CLI {
        let cli = try CLI()
        try cli.run("init")
        for login in ["alice", "bob", "ann", "bo"] {
            let made = try cli.run(["account", "add", login, "--role", "viewer"], input: "a long enough password\n")
            #expect(made.status == 0, "\(login): \(made.stderr)")
        }
        for arguments in [["registry", "open", "ALLOC", "--kind", "national_allocation", "--name", "Municipal allocation",
                           "--representative", "alice", "--representative", "bob"],
                          ["registry", "open", "OP-1", "--kind", "operator_holding", "--name", "Northbank Power Plant",
                           "--representative", "ann", "--representative", "bo"],
                          ["registry", "open", "RETIRE", "--kind", "retirement", "--name", "Retirement"],
                          ["registry", "issue", "--to", "ALLOC", "--unit", "CEA", "--vintage", "2025", "--amount", "100000", "--reference", "a-2025"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        return cli
    }

    @Test("A transfer runs once a second representative approves it; the statement, the serial look-up and verify show it")
    func transferWithFourEyes() throws {
        let cli = try Self.registry()
        #expect(try cli.run("registry", "propose", "--from", "ALLOC", "--to", "OP-1", "--amount", "5000", "--unit", "CEA", "--as", "alice").status == 0)
        let own = try cli.run("registry", "approve", "1", "--as", "alice")
        #expect(own.status == 1 && own.stderr.contains("another representative must approve"))
        let approved = try cli.run("registry", "approve", "1", "--as", "bob")
        #expect(approved.status == 0 && approved.stdout.contains("ran: 5000 CEA from ALLOC to OP-1"))
        #expect(try cli.run("registry", "statement", "OP-1").stdout.contains("CEA-2025-1-5000"))
        let serial = try cli.run("registry", "serial", "CEA", "4242")
        #expect(serial.stdout.contains("held by OP-1") && serial.stdout.contains("issue") && serial.stdout.contains("transfer"))
        #expect(try cli.run("registry", "serial", "CEA", "100001").status == 1)
        #expect(try cli.run("registry", "verify").stdout.contains("The ledger holds: 5 entries"))
    }

    @Test("Refusals exit 1 with the reason and change nothing: an untrusted destination, too many units, a bad id, absurd amounts")
    func refusals() throws {
        let cli = try Self.registry()
        let untrusted = try cli.run("registry", "propose", "--from", "OP-1", "--to", "ALLOC", "--amount", "1", "--unit", "CEA", "--as", "ann")
        #expect(untrusted.status == 1 && untrusted.stderr.contains("trusted list"))
        #expect(try cli.run("registry", "open", "bad id", "--kind", "trading", "--name", "x").stderr.contains("account field id = bad id"))
        let typo = try cli.run("registry", "open", "TR-8", "--kind", "trading", "--name", "x", "--representative", "alice", "--representative", "bobb")
        #expect(typo.status == 1 && typo.stderr.contains("--representative bobb: no sign-in account"))
        #expect(try cli.run("registry", "open", "TR-9", "--kind", "broker", "--name", "x").status == 2)
        let huge = try cli.run("registry", "issue", "--to", "ALLOC", "--unit", "CEA", "--vintage", "2025", "--amount", "9223372036854775807", "--reference", "h")
        #expect(huge.status == 1 && huge.stderr.contains("serial numbers left"))
        #expect(try cli.run("registry", "issue", "--to", "ALLOC", "--unit", "CEA", "--vintage", "2025", "--amount", "-5", "--reference", "n").status != 0)
        #expect(try cli.run("registry", "propose", "--from", "ALLOC", "--to", "OP-1", "--amount", "1", "--unit", "CEA",
                            "--purpose", "surrender:99999", "--as", "alice").status == 2)
        #expect(try cli.run("registry", "verify").stdout.contains("4 entries"))
    }
}
