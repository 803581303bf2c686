import CityCarbonPages
import Hummingbird

extension Language {
    /// `?lang=`, else the `lang` cookie, else the first of Accept-Language's languages the site has, else English.
    static func of(_ request: Request) -> Language {
        if let query = request.uri.queryParameters.get("lang"), let language = Language(rawValue: String(query)) { return language }
        if let cookie = request.cookies["lang"]?.value, let language = Language(rawValue: cookie) { return language }
        // The browser's languages by weight (RFC 9110 §12.5.4): q=0 means "not this one"; equal weights keep their order.
        let weighted = (request.headers[.acceptLanguage] ?? "").split(separator: ",").prefix(32).enumerated().compactMap { index, item -> (String, Double, Int)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else { return nil }
            let q = parts.dropFirst().first { $0.lowercased().hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return q.isFinite && q > 0 ? (name, min(q, 1), index) : nil
        }
        for (name, _, _) in weighted.sorted(by: { ($0.1, -$0.2) > ($1.1, -$1.2) }) {
            if let language = Language.matching(name) { return language }
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
