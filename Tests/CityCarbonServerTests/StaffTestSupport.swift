import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

let staffPassword = "correct horse battery"

/// The demo city with one account of every role, named after it; the editor and the reporter
/// may write to the first district only.
func staffWorkspace() throws -> (database: CityCarbonDatabase, district: String, otherDistrict: String) {
    let database = try demoWorkspace()
    let tree = try JurisdictionRepository(database).tree()
    let districts = tree.children(of: tree.roots[0])
    let accounts = AccountRepository(database, passwordCost: 4)
    for role in Role.allCases where role.permissions.contains(.signIn) {
        try accounts.create(username: role.rawValue, password: staffPassword, role: role, organisation: role.isScoped ? "\(districts[0]) office" : nil,
                            jurisdictions: role.isScoped ? [districts[0]] : [], actor: "test")
    }
    return (database, districts[0], districts[1])
}

/// A signed-in browser: its cookie header and the CSRF token its forms carry.
struct Browser {
    var cookie: String
    var csrf: String

    var headers: HTTPFields { [.cookie: cookie] }

    func formHeaders() -> HTTPFields { [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"] }

    /// A form body with this session's CSRF token.
    func form(_ fields: [(String, String)] = []) -> ByteBuffer {
        urlEncoded([("csrf", csrf)] + fields)
    }
}

func urlEncoded(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&"))
}

/// The value of cookie `name` among a response's Set-Cookie headers.
func setCookie(_ response: TestResponse, _ name: String) -> String? {
    for field in response.headers where field.name == .setCookie {
        let pair = field.value.split(separator: ";")[0]
        if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
    }
    return nil
}

/// The first `name="csrf" value="…"` of a page.
func csrfToken(in html: String) -> String? {
    guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

/// Signs in through the real form, as a browser does: the sign-in page's cookie and token,
/// then the POST, then the staff page for the session's token.
func signIn(_ client: some TestClientProtocol, _ username: String, password: String = staffPassword) async throws -> Browser {
    let page = try await client.execute(uri: "/login", method: .get)
    let loginCookie = try #require(setCookie(page, Gatekeeper.loginCookie))
    let token = try #require(csrfToken(in: String(buffer: page.body)))
    let response = try await client.execute(uri: "/login", method: .post,
                                            headers: [.cookie: "\(Gatekeeper.loginCookie)=\(loginCookie)", .contentType: "application/x-www-form-urlencoded"],
                                            body: urlEncoded([("csrf", token), ("username", username), ("password", password)]))
    #expect(response.status == .seeOther, "signing in as \(username)")
    let session = try #require(setCookie(response, Gatekeeper.sessionCookie))
    let cookie = "\(Gatekeeper.sessionCookie)=\(session)"
    let home = try await client.execute(uri: "/staff", method: .get, headers: [.cookie: cookie])
    return Browser(cookie: cookie, csrf: try #require(csrfToken(in: String(buffer: home.body))))
}

/// A multipart/form-data body with fields and one file, as a browser sends an upload.
func multipart(_ fields: [(String, String)], file: (name: String, filename: String, content: String)) -> (body: ByteBuffer, contentType: String) {
    let boundary = "----CityCarbonTest\(UUID().uuidString)"
    var text = ""
    for (name, value) in fields {
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
    }
    text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/csv\r\n\r\n\(file.content)\r\n"
    text += "--\(boundary)--\r\n"
    return (ByteBuffer(string: text), "multipart/form-data; boundary=\(boundary)")
}
