import CityCarbonPages
import Hummingbird

extension Language {
    /// `?lang=`, else the `lang` cookie, else Accept-Language, else English.
    static func of(_ request: Request) -> Language {
        if let query = request.uri.queryParameters.get("lang"), let language = Language(rawValue: String(query)) { return language }
        if let cookie = request.cookies["lang"]?.value, let language = Language(rawValue: cookie) { return language }
        if let accept = request.headers[.acceptLanguage]?.lowercased(), accept.hasPrefix("zh") || accept.contains(",zh") { return .zhHans }
        return .en
    }
}

extension Layout {
    /// A rendered public page as a response.
    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
