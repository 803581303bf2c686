import CityCarbonPages
import Hummingbird

extension Language {
    /// `?lang=`, else the `lang` cookie, else the first of Accept-Language's languages the site has, else English.
    static func of(_ request: Request) -> Language {
        if let query = request.uri.queryParameters.get("lang"), let language = Language(rawValue: String(query)) { return language }
        if let cookie = request.cookies["lang"]?.value, let language = Language(rawValue: cookie) { return language }
        // The browser's languages in its order of preference (q-values are written in that order in practice).
        for tag in (request.headers[.acceptLanguage] ?? "").split(separator: ",") {
            let name = tag.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !name.isEmpty, let language = Language.matching(name) { return language }
        }
        return .en
    }
}

extension Layout {
    /// A rendered public page as a response.
    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
