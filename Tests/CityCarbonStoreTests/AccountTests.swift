import CarbonAccounting
import CarbonKit
import Foundation
import Testing
@testable import CityCarbonStore

@Suite("Accounts, sessions and API keys")
struct AccountTests {
    func workspace() throws -> CityCarbonDatabase {
        let db = try temporaryWorkspace()
        try JurisdictionRepository(db).importCSV(bytes(jurisdictions), file: "j.csv", actor: "alice")
        return db
    }

    @Test("A password is stored only as a bcrypt hash, and the audit trail never sees it")
    func passwordIsHashed() throws {
        let db = try workspace()
        try AccountRepository(db, passwordCost: 4).create(username: "Alice", password: "s3cret enough", role: .admin, actor: "setup")
        let stored = try db.read { try String.fetchOne($0, sql: "SELECT password_hash FROM account WHERE username = 'alice'") }
        #expect(stored?.hasPrefix("$2b$04$") == true)
        #expect(stored?.contains("s3cret") == false)
        let event = try #require(try AuditTrail(db).events(entity: "account").first)
        #expect(event.after?.contains("$2b$") == false)
        #expect(event.after?.contains(#""role":"admin""#) == true)
        #expect(try AccountRepository(db).authenticate(username: "ALICE", password: "s3cret enough")?.username == "alice")
        #expect(try AccountRepository(db).authenticate(username: "alice", password: "s3cret enougH") == nil)
        #expect(try AccountRepository(db).authenticate(username: "nobody", password: "s3cret enough") == nil)
    }

    @Test("A name that hides characters (a right-to-left override, a zero-width space) or fills a page is refused, naming the field; nothing is stored")
    func namesAreTextAPageCanShow() throws {
        let db = try workspace()
        let accounts = AccountRepository(db, passwordCost: 4)
        for (display, organisation, fields) in [("K4 \u{202E}gnp.exe", nil, ["display_name"]), (String(repeating: "x", count: 1_500), nil, ["display_name"]),
                                                ("Ann", "Off\u{200B}ice", ["organisation"])] as [(String, String?, Set<String>)] {
            #expect {
                try accounts.create(username: "ann", displayName: display, password: "long enough password", role: .admin, organisation: organisation, actor: "setup")
            } throws: { error in
                Set((error as? InputErrors)?.issues.compactMap(\.location.field) ?? []) == fields
            }
        }
        #expect(try accounts.count() == 0)
        #expect {
            try APIKeyRepository(db).create(name: "key \u{202E}yek", role: .viewer, actor: "setup")
        } throws: { error in (error as? InputErrors)?.issues.first?.reason.contains("U+202E") == true }
        #expect(try accounts.create(username: "ann", displayName: "Ann Östberg 安妮", password: "long enough password", role: .admin, actor: "setup").displayName
            == "Ann Östberg 安妮")
    }

    @Test("Editors need an organisation and jurisdictions of the tree; every problem is named at once")
    func scopedRolesNeedTheirScope() throws {
        let db = try workspace()
        #expect {
            try AccountRepository(db, passwordCost: 4).create(username: "e", password: "short", role: .editor, jurisdictions: ["Nroth"], actor: "setup")
        } throws: { error in
            let fields = (error as? InputErrors)?.issues.compactMap(\.location.field) ?? []
            return Set(fields) == ["username", "password", "organisation", "jurisdictions"]
                && (error as? InputErrors)?.issues.contains { $0.suggestion?.contains("North") == true } == true
        }
        #expect(try AccountRepository(db).count() == 0)
    }

    @Test("A scoped principal writes to its jurisdictions and those below, nowhere else")
    func scope() throws {
        let tree = try JurisdictionRepository(try workspace()).tree()
        let north = Principal(actor: "e", role: .editor, jurisdictions: ["North"])
        #expect(north.mayWrite("North", in: tree))
        #expect(!north.mayWrite("South", in: tree))
        #expect(!north.mayWrite("Demo City", in: tree))
        #expect(Principal(actor: "c", role: .editor, jurisdictions: ["Demo City"]).mayWrite("South", in: tree))
        #expect(Principal(actor: "a", role: .admin).mayWrite("South", in: tree))
    }

    @Test("Sessions are stored as token digests, expire, and end with sign-out")
    func sessions() throws {
        let db = try workspace()
        let account = try AccountRepository(db, passwordCost: 4).create(username: "vera", password: "long enough!", role: .viewer, actor: "setup")
        let sessions = SessionRepository(db)
        let now = Date()
        let (token, session) = try sessions.open(for: account, lifetime: 60, now: now)
        #expect(try db.read { try String.fetchOne($0, sql: "SELECT token_hash FROM session") } == Secret.digest(token))
        #expect(try sessions.session(token: token, now: now)?.csrfToken == session.csrfToken)
        #expect(try sessions.session(token: token, now: now.addingTimeInterval(61)) == nil)
        try sessions.close(token: token)
        #expect(try sessions.session(token: token, now: now) == nil)
        #expect(try AuditTrail(db).events(entity: "session").map(\.action) == ["sign_out", "sign_in"])
    }

    @Test("An API key is shown once, stored as a digest, and stops working when revoked")
    func apiKeys() throws {
        let db = try workspace()
        let keys = APIKeyRepository(db)
        let (key, secret) = try keys.create(name: "gateway", role: .editor, organisation: "North office", jurisdictions: ["North"], actor: "alice")
        #expect(secret.hasPrefix("cck_") && secret.count > 40)
        #expect(try db.read { try String.fetchOne($0, sql: "SELECT key_hash FROM api_key") } == Secret.digest(secret))
        #expect(try keys.authenticate(secret)?.principal == Principal(actor: "api-key:gateway", role: .editor, organisation: "North office", jurisdictions: ["North"]))
        #expect(try keys.authenticate(secret + "x") == nil)
        try keys.revoke(id: key.id, actor: "alice")
        #expect(try keys.authenticate(secret) == nil)
    }

    @Test("Publishing pins the computation: a recomputation stays a draft until published again")
    func publicationPinsComputation() throws {
        let db = try workspace()
        try ActivityRepository(db).importCSV(bytes(activities), file: "a.csv", actor: "bob")
        _ = try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR5"), actor: "bob")
        try PublicationRepository(db).publish(year: 2022, by: "carol")
        let first = try PublicationRepository(db).publishedInventoryID(year: 2022)
        _ = try InventoryRepository(db).compute(year: 2022, gwp: GasCatalog.standard.gwpSet("AR6"), actor: "bob")
        #expect(try PublicationRepository(db).publishedInventoryID(year: 2022) == first)
        let status = try #require(try PublicationRepository(db).status().first)
        #expect(status.hasNewerDraft)
        try PublicationRepository(db).publish(year: 2022, by: "carol")
        #expect(try PublicationRepository(db).publishedInventoryID(year: 2022) == status.latestInventoryID)
    }
}
