import ArgumentParser
import CarbonKit
import CityCarbonStore
import Foundation

extension Role: ExpressibleByArgument {}

/// Reads a password from standard input (one line), so it never appears in the process list
/// or the shell history.
private func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw CLIFailure.usage("no password on standard input: pipe one line, e.g. `printf '%s\\n' \"$PASSWORD\" | citycarbon account add …`")
    }
    return line
}

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Staff accounts: who may sign in to the web pages, with which role.",
        discussion: """
        Roles: admin (accounts, publication, audit), editor (loads data of its jurisdictions),
        reporter (an enterprise's own reports), verifier (verification and audit), viewer (drafts).
        Editors and reporters need --organisation and at least one --jurisdiction.
        The first admin of a new workspace is created here:
          printf '%s\\n' "$PASSWORD" | citycarbon account add alice --role admin
        """,
        subcommands: [Add.self, List.self, Password.self, Update.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password is read from standard input.")

        @Argument(help: "The account name: 2–64 characters of a–z, 0–9, '.', '_', '-'.")
        var username: String

        @Option(help: "admin, editor, reporter, verifier or viewer.")
        var role: Role

        @Option(help: "The person's name as the pages show it.")
        var displayName: String?

        @Option(help: "The organisation (department, district office, enterprise).")
        var organisation: String?

        @Option(name: .customLong("jurisdiction"), help: "A jurisdiction the account may write to (repeat for several).")
        var jurisdictions: [String] = []

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let account = try AccountRepository(try workspace.open()).create(
                username: username, displayName: displayName, password: try readPassword(), role: role,
                organisation: organisation, jurisdictions: jurisdictions, actor: workspace.who)
            print("Created \(account.username) (\(account.role.rawValue)).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let accounts = try AccountRepository(try workspace.open()).all()
            if accounts.isEmpty { print("No accounts."); return }
            print(TextTable.render(header: ["Account", "Name", "Role", "Organisation", "Jurisdictions", "State"], rows: accounts.map {
                [$0.username, $0.displayName, $0.role.rawValue, $0.organisation ?? "", $0.jurisdictions.joined(separator: ", "), $0.disabled ? "disabled" : "active"]
            }, rightAligned: []))
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password (read from standard input); its sessions end.")

        @Argument(help: "The account name.")
        var username: String

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try AccountRepository(try workspace.open()).setPassword(username: username, password: try readPassword(), actor: workspace.who)
            print("Password set for \(username).")
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an account's role, organisation, jurisdictions, or disable it.")

        @Argument(help: "The account name.")
        var username: String

        @Option(help: "The new role (default: unchanged).")
        var role: Role?

        @Option(help: "The new organisation (default: unchanged).")
        var organisation: String?

        @Option(name: .customLong("jurisdiction"), help: "The jurisdictions, replacing the current ones (repeat for several).")
        var jurisdictions: [String] = []

        @Flag(inversion: .prefixedEnableDisable, help: "Allow or refuse sign-in (default: unchanged).")
        var account: Bool?

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = AccountRepository(try workspace.open())
            guard let current = try repository.account(username: username) else { throw CLIFailure.input("no account named \(username)") }
            let updated = try repository.update(username: username, role: role ?? current.role, organisation: organisation ?? current.organisation,
                                                jurisdictions: jurisdictions.isEmpty ? current.jurisdictions : jurisdictions,
                                                disabled: account.map { !$0 } ?? current.disabled, actor: workspace.who)
            print("Updated \(updated.username): \(updated.role.rawValue)\(updated.disabled ? ", disabled" : "").")
        }
    }
}

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "API keys for integration clients: `Authorization: Bearer <key>` on the write routes of /api/v1.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once; only its digest is kept.")

        @Argument(help: "A name that says which client holds the key.")
        var name: String

        @Option(help: "The role the key acts with.")
        var role: Role

        @Option(help: "The organisation (for scoped roles).")
        var organisation: String?

        @Option(name: .customLong("jurisdiction"), help: "A jurisdiction the key may write to (repeat for several).")
        var jurisdictions: [String] = []

        @Option(name: .customLong("site"), help: "A monitoring site an integration key is limited to (repeat for several; default: all of its organisation's).")
        var sites: [String] = []

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let (key, secret) = try APIKeyRepository(try workspace.open()).create(name: name, role: role, organisation: organisation,
                                                                                  jurisdictions: jurisdictions, sites: sites, actor: workspace.who)
            FileHandle.standardError.write(Data("Created key \(key.id) \(key.name) (\(key.role.rawValue)); it is shown only now:\n".utf8))
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (never their secrets).")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let keys = try APIKeyRepository(try workspace.open()).all()
            if keys.isEmpty { print("No keys."); return }
            print(TextTable.render(header: ["Id", "Name", "Key", "Role", "Created by", "State"], rows: keys.map {
                [String($0.id), $0.name, $0.prefix + "…", $0.role.rawValue, $0.createdBy, $0.revokedAt.map { "revoked \($0)" } ?? "live"]
            }, rightAligned: [0]))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")

        @Argument(help: "The key's id, from `citycarbon key list`.")
        var id: Int64

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard try APIKeyRepository(try workspace.open()).revoke(id: id, actor: workspace.who) else {
                throw CLIFailure.input("no live key with id \(id)")
            }
            print("Revoked key \(id).")
        }
    }
}
