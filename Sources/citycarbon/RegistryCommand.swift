import ArgumentParser
import CarbonKit
import CarbonMarkets
import CityCarbonStore
import Foundation

/// `citycarbon registry`: the allowance registry from the command line, for a registry officer
/// and for scripts: accounts, issuance, transfers with four eyes, statements, serial look-ups
/// and verification of the whole ledger.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The allowance registry: accounts, issuance, transfers, statements, serial look-ups, verification.",
        discussion: """
        Units are held as blocks of serial numbers. A transfer is proposed by one authorised
        representative of the sending account and approved by another; it runs at once to a
        final account (surrender, cancellation, retirement), to an account on the sender's
        trusted list, or from an allocation account, and after a 26-hour delay in registry hours
        otherwise (operator accounts may send only to their list).
          citycarbon registry open OP-1 --kind operator_holding --name "Plant 1" --representative ann --representative bo
          citycarbon registry issue --to ALLOC --unit CEA --vintage 2025 --amount 100000 --reference allocation-2025
          citycarbon registry propose --from ALLOC --to OP-1 --amount 5000 --unit CEA --as alice
          citycarbon registry approve 1 --as bob
          citycarbon registry statement OP-1
          citycarbon registry serial CEA 4242
          citycarbon registry verify
        """,
        subcommands: [Open.self, Issue.self, Trust.self, Propose.self, Approve.self, Decline.self, RunDue.self, Accounts.self,
                      Statement.self, Serial.self, Verify.self, Allocate.self, Compliance.self]
    )

    /// A refusal of the ledger, as the one-line error the CLI prints (exit 1).
    static func refused(_ error: any Error) -> any Error {
        if let refusal = error as? LedgerError { return CLIFailure.input(refusal.description) }
        if let refusal = error as? TransferRequests.RequestError { return CLIFailure.input(refusal.description) }
        return error
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open an account (two authorised representatives unless it is final).")
        @Argument(help: "Account id: 3–40 letters, digits, - or _.") var id: String
        @Option(help: ArgumentHelp("Kind: \(AccountKind.allCases.map(\.rawValue).joined(separator: ", ")).")) var kind: String
        @Option(help: "Name shown on statements.") var name: String
        @Option(help: "The enterprise or person holding it.") var holder: String?
        @Option(help: ArgumentHelp("A representative's sign-in name; `name:additional` for one who may only approve. Repeat.",
                                   valueName: "login")) var representative: [String] = []
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let kind = AccountKind(rawValue: kind) else {
                throw CLIFailure.usage("--kind \(self.kind) is not one of \(AccountKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let representatives = representative.map { text -> RegistryAccount.Representative in
                text.hasSuffix(":additional") ? .init(login: String(text.dropLast(11)), role: .additional) : .init(login: text, role: .authorised)
            }
            let account = RegistryAccount(id: id, kind: kind, holder: holder, name: name, representatives: representatives)
            let database = try workspace.open()
            // A representative signs in to propose and approve: a name nobody can sign in with is a typo, not a representative.
            let unknown = try representatives.map(\.login).filter { try AccountRepository(database).account(username: $0) == nil }
            guard unknown.isEmpty else {
                throw CLIFailure.input("--representative \(unknown.joined(separator: ", ")): no sign-in account of that name; create it with `citycarbon account add`")
            }
            do {
                let entry = try AllowanceRegistry(database).apply(.openAccount(account))
                print("Account \(id) opened (ledger entry \(entry.sequence)).")
            } catch { throw RegistryCommand.refused(error) }
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue new units into an account, numbered after the last serial of the unit.")
        @Option(help: "The receiving account.") var to: String
        @Option(help: "Unit type, e.g. CEA or CCER.") var unit: String
        @Option(help: "Vintage year.") var vintage: Int
        @Option(help: "Whole units.") var amount: Int64
        @Option(help: "A key of your own: the same reference never issues twice.") var reference: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            do {
                let entry = try AllowanceRegistry(try workspace.open())
                    .apply(.issue(to: to, unit: unit, vintage: vintage, amount: amount, by: workspace.who, reference: reference))
                print("Issued \(GroupedNumber.format(Double(amount), decimals: 0)) \(unit) as \(entry.blocks.map(\.description).joined(separator: ", ")) (ledger entry \(entry.sequence)).")
            } catch { throw RegistryCommand.refused(error) }
        }
    }

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put an account on another's trusted list (active after 4 working days).")
        @Option(help: "The account whose list it is.") var account: String
        @Option(help: "The account to trust.") var trusted: String
        @Option(help: "The representative who proposes it.") var proposedBy: String
        @Option(help: "A second representative who approves it.") var approvedBy: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            do {
                let entry = try AllowanceRegistry(try workspace.open())
                    .apply(.trust(account: account, trusted: trusted, proposedBy: proposedBy, approvedBy: approvedBy))
                print("\(trusted) is on \(account)'s trusted list: \(entry.detail ?? "") (ledger entry \(entry.sequence)).")
            } catch { throw RegistryCommand.refused(error) }
        }
    }

    struct Propose: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose a transfer, surrender, cancellation or retirement; prints the request's number.")
        @Option(help: "The sending account.") var from: String
        @Option(help: "The receiving account (for a surrender, cancellation or retirement: the registry's final account).") var to: String
        @Option(help: "Whole units.") var amount: Int64
        @Option(help: "Unit type.") var unit: String
        @Option(help: "Only this vintage (default: the oldest first).") var vintage: Int?
        @Option(help: "transfer, surrender:YEAR, cancellation or retirement.") var purpose = "transfer"
        @Option(name: .customLong("as"), help: "The proposing representative.") var login: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let purpose: Transfer.Purpose
            switch self.purpose {
            case "transfer": purpose = .transfer
            case "cancellation": purpose = .cancellation
            case "retirement": purpose = .retirement
            case let text where text.hasPrefix("surrender:"):
                guard let year = Int(text.dropFirst(10)), (1900...9999).contains(year) else { throw CLIFailure.usage("--purpose \(text): the year must be 1900–9999") }
                purpose = .surrender(complianceYear: year)
            default: throw CLIFailure.usage("--purpose \(self.purpose) is not transfer, surrender:YEAR, cancellation or retirement")
            }
            do {
                let request = try TransferRequests(try workspace.open())
                    .propose(from: from, to: to, amount: amount, unit: unit, vintage: vintage, purpose: purpose, by: login)
                print("Request \(request.id) proposed; another representative of \(from) approves it with `citycarbon registry approve \(request.id) --as NAME`.")
            } catch { throw RegistryCommand.refused(error) }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a proposed request as a second representative: it runs now or is scheduled.")
        @Argument(help: "The request's number.") var id: Int64
        @Option(name: .customLong("as"), help: "The approving representative.") var login: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            do {
                let request = try TransferRequests(try workspace.open()).approve(id, by: login)
                if request.status == .failed { throw CLIFailure.input("request \(id) failed: \(request.reason ?? "")") }
                print(RegistryCommand.describe(request))
            } catch let failure as CLIFailure { throw failure } catch { throw RegistryCommand.refused(error) }
        }
    }

    struct Decline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a request (its proposer: withdraw it).")
        @Argument(help: "The request's number.") var id: Int64
        @Option(name: .customLong("as"), help: "A representative of the sending account.") var login: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            do { print(RegistryCommand.describe(try TransferRequests(try workspace.open()).decline(id, by: login))) }
            catch { throw RegistryCommand.refused(error) }
        }
    }

    struct RunDue: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run-due", abstract: "Run the scheduled transfers whose delay has passed (the server does this every minute).")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let done = try TransferRequests(try workspace.open()).runDue()
            for request in done { print(RegistryCommand.describe(request)) }
            if done.isEmpty { print("No transfer is due.") }
        }
    }

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every account with its kind, holder, status and units held.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let registry = AllowanceRegistry(try workspace.open())
            let rows = try registry.accounts().map { account -> [String] in
                var held: [(String, Int64)] = []
                for balance in try registry.balances(of: account.id) {
                    if let i = held.firstIndex(where: { $0.0 == balance.unit }) { held[i].1 += balance.units } else { held.append((balance.unit, balance.units)) }
                }
                return [account.id, account.kind.rawValue, account.holder ?? "", account.name, account.status.rawValue,
                        held.isEmpty ? "0" : held.map { "\($0.1) \($0.0)" }.joined(separator: ", ")]
            }
            print(TextTable.render(header: ["Account", "Kind", "Holder", "Name", "Status", "Units"], rows: rows, rightAligned: [5]))
        }
    }

    struct Statement: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's holdings by unit and vintage, its blocks and its latest entries.")
        @Argument(help: "The account.") var account: String
        @Option(help: "How many entries to list.") var limit = 20
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let registry = AllowanceRegistry(try workspace.open())
            guard try registry.account(account) != nil else { throw CLIFailure.input("no account \(account)") }
            print(TextTable.render(header: ["Unit", "Vintage", "Units"], rows: try registry.balances(of: account).map {
                [$0.unit, String($0.vintage), GroupedNumber.format(Double($0.units), decimals: 0)]
            }, rightAligned: [2]))
            print("Blocks: " + (try registry.holdings(of: account).map(\.description).joined(separator: ", ")))
            let (entries, total) = try registry.entries(account: account, limit: limit)
            print(TextTable.render(header: ["#", "Kind", "From", "To", "Units", "Blocks", "By", "Approved by"], rows: entries.map {
                [String($0.sequence), $0.kind.rawValue, $0.from ?? "", $0.to, GroupedNumber.format(Double($0.amount), decimals: 0),
                 $0.blocks.map(\.description).joined(separator: " "), $0.actor, $0.approvedBy ?? ""]
            }, rightAligned: [0, 4]))
            if total > entries.count { print("\(total - entries.count) older entries not shown (--limit).") }
        }
    }

    struct Serial: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who holds a serial number now, and every entry that issued and moved it.")
        @Argument(help: "Unit type.") var unit: String
        @Argument(help: "Serial number.") var serial: Int64
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let history = try AllowanceRegistry(try workspace.open()).history(unit: unit, serial: serial) else {
                throw CLIFailure.input("no \(unit) serial \(serial) was issued")
            }
            print("\(unit) \(serial) is in block \(history.block) (vintage \(history.block.vintage)), held by \(history.holder.id) (\(history.holder.name), \(history.holder.kind.rawValue)).")
            print(TextTable.render(header: ["#", "When (UTC)", "Kind", "From", "To", "Units", "Hash"], rows: history.entries.map {
                [String($0.sequence), ISO8601DateFormatter().string(from: $0.at), $0.kind.rawValue, $0.from ?? "", $0.to,
                 GroupedNumber.format(Double($0.amount), decimals: 0), String($0.hash.prefix(16)) + "…"]
            }, rightAligned: [0, 5]))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute every hash of the ledger and check every balance and block against it.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let result = try AllowanceRegistry(try workspace.open()).verify()
            if result.isIntact {
                print("The ledger holds: \(result.entries) entries chained, every balance equals its movements, no serial is held twice.")
                return
            }
            var problems: [String] = []
            if let at = result.brokenAt { problems.append("entry \(at): \(result.reason ?? "")") }
            if !result.unbalancedAccounts.isEmpty { problems.append("balances that do not match the ledger: \(result.unbalancedAccounts.joined(separator: ", "))") }
            if !result.overlappingSerials.isEmpty { problems.append("serials held twice: \(result.overlappingSerials.joined(separator: ", "))") }
            if !result.misplacedBlocks.isEmpty { problems.append("blocks not where the ledger put them: \(result.misplacedBlocks.joined(separator: ", "))") }
            throw CLIFailure.input("the ledger does not hold: " + problems.joined(separator: "; "))
        }
    }

    static func describe(_ request: TransferRequest) -> String {
        switch request.status {
        case .completed: "Request \(request.id) ran: \(request.amount) \(request.unit) from \(request.from) to \(request.to) (ledger entry \(request.ledgerSequence ?? 0))."
        case .scheduled: "Request \(request.id) is approved and runs from \(request.runsAt.map { ISO8601DateFormatter().string(from: $0) } ?? "") (outside the trusted list)."
        case .failed: "Request \(request.id) failed: \(request.reason ?? "")."
        default: "Request \(request.id) is \(request.status.rawValue)."
        }
    }

    struct Allocate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allocate a year's free allowances to an enterprise: the pre-allocation, or the final allocation's true-up.",
            discussion: """
            pre: 70 % of last year's supply and heat times the year's benchmarks, issued as CEA of
            the year into the enterprise's operator holding account (its holder is the credit code).
            final: the accepted report's supply and heat, with the load-factor correction; the
            difference to the pre-allocation is issued, or owed back when negative.
            """)
        @Argument(help: "The enterprise's unified social credit code.") var enterprise: String
        @Option(help: "The year allocated.") var year: Int
        @Option(help: "pre or final.") var stage: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let stage = EnterpriseAllocation.Stage(rawValue: stage) else { throw CLIFailure.usage("--stage \(self.stage) is not pre or final") }
            do {
                let allocation = try CarbonAccounts(try workspace.open()).allocate(enterprise, year: year, stage: stage, by: workspace.who)
                print("\(stage.rawValue) allocation \(year): \(allocation.units) t; \(allocation.issued) units issued to \(allocation.account).")
            } catch let refusal as CarbonAccounts.Refusal { throw CLIFailure.input(refusal.description) }
        }
    }

    struct Compliance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each enterprise's compliance for a year: verified emissions, allocation, surrenders, code and shortfall.",
            discussion: "--enforce blocks the operator accounts of enterprises without verified emissions after the deadline.")
        @Option(help: "The compliance year.") var year: Int
        @Option(help: "The day assessed (YYYY-MM-DD); today by default.") var on: String?
        @Flag(help: "Block accounts whose verified emissions are overdue, and open those since verified.") var enforce = false
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            guard let day = on.map({ Day($0) }) ?? Day.today else {
                throw CLIFailure.usage("--on \(on ?? "") is not a date YYYY-MM-DD")
            }
            let accounts = CarbonAccounts(database)
            if enforce {
                for change in try accounts.enforceVerifiedDeadline(year: year, on: day, by: workspace.who) {
                    print("Account \(change.account) is now \(change.status.rawValue).")
                }
            }
            print(TextTable.render(header: ["Enterprise", "Verified t", "Allocated", "Owed back", "Surrendered", "Offsets", "To surrender", "Code", "Deadline"],
                                   rows: try accounts.compliance(year: year, on: day).map { p in
                [p.enterprise, p.verified.map { String(format: "%.0f", $0) } ?? "—", String(p.allocated), String(p.returnDue),
                 String(p.surrenderedAllowances), String(p.surrenderedOffsets), String(format: "%.0f", p.toSurrender),
                 p.open ? "open" : p.status.code.rawValue, p.surrenderDeadline?.description ?? "—"]
            }, rightAligned: [1, 2, 3, 4, 5, 6]))
        }
    }
}
