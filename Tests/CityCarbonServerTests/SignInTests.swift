import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Signing in and out")
struct SignInTests {
    @Test("Signing in sets an HttpOnly, SameSite=Strict session cookie and goes to the staff page")
    func signInSetsSessionCookie() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(setCookie(page, Gatekeeper.loginCookie))
            let token = try #require(csrfToken(in: String(buffer: page.body)))
            let response = try await client.execute(uri: "/login", method: .post,
                                                    headers: [.cookie: "cc_login=\(loginCookie)", .contentType: "application/x-www-form-urlencoded"],
                                                    body: urlEncoded([("csrf", token), ("username", "Editor"), ("password", staffPassword), ("next", "/staff/upload")]))
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/staff/upload")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("cc_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
        }
    }

    @Test("A wrong password is refused with 401 and no session")
    func wrongPassword() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            let response = try await client.execute(uri: "/login", method: .post,
                                                    headers: [.cookie: "cc_login=\(setCookie(page, "cc_login")!)", .contentType: "application/x-www-form-urlencoded"],
                                                    body: urlEncoded([("csrf", csrfToken(in: String(buffer: page.body))!), ("username", "admin"), ("password", "not the password")]))
            #expect(response.status == .unauthorized)
            #expect(setCookie(response, "cc_session") == nil)
            #expect(String(buffer: response.body).contains("wrong"))
        }
    }

    @Test("The sign-in form without its cookie's token is refused: no login CSRF")
    func signInNeedsToken() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let response = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: urlEncoded([("csrf", "forged"), ("username", "admin"), ("password", staffPassword)]))
            #expect(response.status == .forbidden)
            #expect(setCookie(response, "cc_session") == nil)
        }
    }

    @Test("After five failures for a name, even the right password waits: 429 with Retry-After")
    func throttled() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            let headers: HTTPFields = [.cookie: "cc_login=\(setCookie(page, "cc_login")!)", .contentType: "application/x-www-form-urlencoded"]
            let token = csrfToken(in: String(buffer: page.body))!
            for _ in 0..<5 {
                let failed = try await client.execute(uri: "/login", method: .post, headers: headers,
                                                      body: urlEncoded([("csrf", token), ("username", "admin"), ("password", "guess guess guess")]))
                #expect(failed.status == .unauthorized)
            }
            let blocked = try await client.execute(uri: "/login", method: .post, headers: headers,
                                                   body: urlEncoded([("csrf", token), ("username", "admin"), ("password", staffPassword)]))
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(setCookie(blocked, "cc_session") == nil)
            // Another name is not blocked by admin's failures.
            _ = try await signIn(client, "viewer")
        }
    }

    @Test("Signing out ends the session: the cookie no longer opens staff pages")
    func signOut() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let browser = try await signIn(client, "viewer")
            let out = try await client.execute(uri: "/logout", method: .post, headers: browser.formHeaders(), body: browser.form())
            #expect(out.status == .seeOther)
            let after = try await client.execute(uri: "/staff", method: .get, headers: browser.headers)
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test("A staff form without the session's CSRF token changes nothing")
    func formNeedsCSRF() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let response = try await client.execute(uri: "/staff/inventories/2023/withdraw", method: .post, headers: admin.formHeaders(),
                                                    body: urlEncoded([("csrf", "not-the-token")]))
            #expect(response.status == .forbidden)
            #expect(try PublicationRepository(database).isPublished(2023))
        }
    }

    @Test("A disabled account's session stops working at once")
    func disabledAccount() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let viewer = try await signIn(client, "viewer")
            try AccountRepository(database, passwordCost: 4).update(username: "viewer", role: .viewer, organisation: nil, jurisdictions: [], disabled: true, actor: "admin")
            let response = try await client.execute(uri: "/staff", method: .get, headers: viewer.headers)
            #expect(response.status == .seeOther)
        }
    }

    @Test("The next page after signing in stays on this server")
    func nextStaysLocal() {
        #expect(LoginPage.safeNext("/staff/audit?entity=account") == "/staff/audit?entity=account")
        #expect(LoginPage.safeNext("/staff/inventories/2023#draft") == "/staff/inventories/2023#draft")
        #expect(LoginPage.safeNext(nil) == "/staff")
    }

    /// Known open-redirect bypasses (OWASP's cheat sheet and browser URL parsing): each would
    /// leave the server if it reached the Location header as given.
    @Test("Known open-redirect bypasses all go to /staff", arguments: [
        "//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
        "/\r/evil.example", "/ /evil.example", "/\u{0B}/evil.example", "/\u{0}/evil.example", "/\u{7F}/evil.example", "/\\/evil.example",
        "///evil.example", "/\u{FF0F}evil.example", "/\u{2215}evil.example", "http:evil.example", "javascript:alert(1)", "evil.example",
        "", " /staff", "/\u{3000}/evil.example", "/\u{A0}/evil.example", "/%20", "/login?next=//evil.example",
    ])
    func bypassesStayHome(_ next: String) {
        let target = LoginPage.safeNext(next)
        #expect(target == "/staff" || target == "/%20", "\(next.debugDescription) → \(target)")
        #expect(!target.hasPrefix("//") && target.allSatisfy { $0.isASCII && !$0.isWhitespace })
    }

    @Test("Names are one name however they are typed: NFKC, trimmed of any Unicode space, case-folded")
    func namesAreNormalised() {
        for variant in ["viewer", "Viewer", "VIEWER", "viewer ", " viewer", "viewer\t", "viewer\u{A0}", "viewer\u{3000}", "\u{FF56}\u{FF49}ewer", "viewer\n"] {
            #expect(AccountRepository.normalized(variant) == "viewer", "\(variant.debugDescription)")
        }
        #expect(AccountRepository.normalized("vie wer") != "viewer")
    }

    @Test("Variants of a name share its five tries, and the right password under a variant waits too")
    func variantsShareTheLimit() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            let headers: HTTPFields = [.cookie: "cc_login=\(setCookie(page, "cc_login")!)", .contentType: "application/x-www-form-urlencoded"]
            let token = csrfToken(in: String(buffer: page.body))!
            for variant in ["viewer ", "viewer\t", "viewer\u{A0}", "viewer\u{3000}", "VIEWER"] {
                let failed = try await client.execute(uri: "/login", method: .post, headers: headers,
                                                      body: urlEncoded([("csrf", token), ("username", variant), ("password", "guess guess guess")]))
                #expect(failed.status == .unauthorized)
            }
            let blocked = try await client.execute(uri: "/login", method: .post, headers: headers,
                                                   body: urlEncoded([("csrf", token), ("username", "\u{FF56}iewer"), ("password", staffPassword)]))
            #expect(blocked.status == .tooManyRequests)
            #expect(setCookie(blocked, "cc_session") == nil)
        }
    }

    @Test("A stranger's failures hold back the stranger's address, not the owner at hers")
    func lockoutIsPerNameAndAddress() {
        let throttle = LoginThrottle()
        for _ in 0..<5 { throttle.failed(name: "alice", address: "203.0.113.9") }
        #expect(throttle.wait(name: "alice", address: "203.0.113.9") != nil)
        #expect(throttle.wait(name: "ALICE ", address: "203.0.113.9") != nil)
        #expect(throttle.wait(name: "alice", address: "198.51.100.4") == nil)
        // Spread over many addresses, a name is still held back after fifty failures.
        for i in 0..<50 { throttle.failed(name: "bob", address: "192.0.2.\(i)") }
        #expect(throttle.wait(name: "bob", address: "198.51.100.4") != nil)
        // Twenty failures from one address hold back every name from it.
        for i in 0..<20 { throttle.failed(name: "user\(i)", address: "198.51.100.77") }
        #expect(throttle.wait(name: "carol", address: "198.51.100.77") != nil)
    }

    @Test("X-Forwarded-For counts only from a trusted proxy, and then its right-most untrusted hop")
    func forwardedForNeedsATrustedProxy() {
        let addresses = ClientAddress(trustedProxies: ["10.0.0.2", "10.0.0.3"])
        let request = Request(head: HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/login",
                                                headerFields: [.xForwardedFor: "1.2.3.4, 198.51.100.7, 10.0.0.3"]),
                              body: .init(buffer: ByteBuffer()))
        #expect(addresses.of(request, peer: "10.0.0.2") == "198.51.100.7")
        #expect(addresses.of(request, peer: "203.0.113.5") == "203.0.113.5")
        #expect(ClientAddress(trustedProxies: []).of(request, peer: "10.0.0.2") == "10.0.0.2")
    }
}

@Suite("Staff pages in Chinese")
struct StaffLanguageTests {
    @Test("The sign-in page and the staff home speak 中文 when asked, role names included")
    func chinese() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let login = try await client.execute(uri: "/login?lang=zh-Hans", method: .get)
            #expect(String(buffer: login.body).contains("工作人员登录"))
            let editor = try await signIn(client, "editor")
            let home = try await client.execute(uri: "/staff?lang=zh-Hans", method: .get, headers: editor.headers)
            let html = String(buffer: home.body)
            #expect(html.contains(#"<html lang="zh-Hans">"#))
            #expect(html.contains("工作台") && html.contains("角色：编辑"))
            #expect(html.contains("上传数据"))
        }
    }
}
