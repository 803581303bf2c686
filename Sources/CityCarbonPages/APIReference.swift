import CarbonKit
import Foundation

/// The open API as a page a person reads, rendered from the same OpenAPI document clients
/// use, so the two cannot disagree: every route with its parameters (where they go, whether
/// they are required, the values they take) and its answers, grouped by what they are about.
/// The document's own texts are English and are marked so on pages in other languages.
package enum APIReference {
    package static func html(_ t: Localizer, document: JSONValue) -> HTML {
        let english: HTML = t.language == .en ? "" : " lang=\"en\""
        var body: HTML = "<main id=\"main\"><p>\(t("api.intro"))</p>"
        body += "<p><a href=\"/api/v1/openapi.json\">\(t("api.document"))</a> · \(t("api.keys"))</p>"
        if let description = document["info"]?["description"]?.text { body += "<p\(english)>\(description)</p>" }
        var groups: [(name: String, operations: [HTML])] = []
        for (path, item) in document["paths"]?.members ?? [] {
            for (method, operation) in item.members where ["get", "post", "put", "patch", "delete"].contains(method) {
                let html = self.operation(method: method, path: path, operation, document: document, t: t, english: english)
                let name = group(of: path)
                if let i = groups.firstIndex(where: { $0.name == name }) { groups[i].operations.append(html) } else { groups.append((name, [html])) }
            }
        }
        let links = groups.html(separator: " ") { "<a href=\"#group-\($0.name)\">\($0.name)</a>" }
        body += "<nav class=\"api-groups\" aria-label=\"\(t("api.groups"))\">\(links)</nav>"
        for group in groups {
            body += "<section id=\"group-\(group.name)\"><h2>\(group.name)</h2>\(group.operations)</section>"
        }
        return body + "</main>"
    }

    /// What a route is about: the segment after `/api/v1/`, SensorThings, or the service itself.
    static func group(of path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        if parts.first == "api", parts.count > 2 { return parts[2] == "openapi.json" ? "openapi" : parts[2] }
        if parts.first == "sta" { return "SensorThings" }
        return "service"
    }

    static func operation(method: String, path: String, _ operation: JSONValue, document: JSONValue, t: Localizer, english: HTML) -> HTML {
        let id = operation["operationId"]?.text ?? "\(method)-\(path)"
        var html: HTML = "<article class=\"operation\" id=\"\(id)\"><h3><code>\(method.uppercased())</code> <code>\(path)</code></h3>"
        if let summary = operation["summary"]?.text { html += "<p\(english)>\(summary)</p>" }
        if let description = operation["description"]?.text { html += "<p\(english)>\(description)</p>" }
        if let security = operation["security"]?.items, !security.isEmpty { html += "<p class=\"key\">\(t("api.needsKey"))</p>" }
        let parameters = (operation["parameters"]?.items ?? []).map { resolve($0, in: document) }
        if !parameters.isEmpty {
            let heads = Table.headings(["api.name", "api.in", "api.required", "api.values", "api.description"], t)
            html += "<table class=\"parameters\"><caption>\(t("api.parameters"))</caption><thead><tr>\(heads)</tr></thead><tbody>"
            for parameter in parameters {
                let name = parameter["name"]?.text ?? ""
                let place = parameter["in"]?.text ?? ""
                let required = parameter["required"]?.bool == true || place == "path"
                let values = values(of: resolve(parameter["schema"] ?? .null, in: document), t: t)
                html += """
                    <tr><th scope="row"><code>\(name)</code></th><td>\(t("api.in.\(place)"))</td>\
                    <td>\(t(required ? "api.yes" : "api.no"))</td><td>\(values)</td>\
                    <td\(english)>\(parameter["description"]?.text ?? "")</td></tr>
                    """
            }
            html += "</tbody></table>"
        }
        if let body = operation["requestBody"] {
            let types = (resolve(body, in: document)["content"]?.members ?? []).map(\.0)
            html += "<p>\(t("api.body", ["types": types.joined(separator: ", ")]))</p>"
        }
        let responses = operation["responses"]?.members ?? []
        if !responses.isEmpty {
            html += "<dl class=\"responses\">"
            for (status, response) in responses {
                let response = resolve(response, in: document)
                let types = (response["content"]?.members ?? []).map(\.0)
                let kinds: HTML? = types.isEmpty ? nil : " <small>(\(types.joined(separator: ", ")))</small>"
                html += "<dt><code>\(status)</code></dt><dd><span\(english)>\(response["description"]?.text ?? "")</span>\(kinds)</dd>"
            }
            html += "</dl>"
        }
        return html + "</article>"
    }

    /// A schema's values in a few words: its type, the values it allows, its range and default.
    static func values(of schema: JSONValue, t: Localizer) -> String {
        var parts: [String] = []
        if let type = schema["type"]?.text { parts.append(type) }
        if let options = schema["enum"]?.items { parts.append(options.map(\.plain).joined(separator: " | ")) }
        let minimum = schema["minimum"]?.plain, maximum = schema["maximum"]?.plain
        if minimum != nil || maximum != nil { parts.append("\(minimum ?? "…")–\(maximum ?? "…")") }
        if let format = schema["format"]?.text { parts.append(format) }
        if let fallback = schema["default"] { parts.append(t("api.default", ["value": fallback.plain])) }
        return parts.joined(separator: "; ")
    }

    /// The object a `$ref` inside the document points at; anything else as it is.
    static func resolve(_ value: JSONValue, in document: JSONValue) -> JSONValue {
        guard let reference = value["$ref"]?.text, reference.hasPrefix("#/") else { return value }
        var target: JSONValue? = document
        for key in reference.dropFirst(2).split(separator: "/") { target = target?[String(key)] }
        return target ?? value
    }
}

private extension JSONValue {
    subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }
    var members: [(String, JSONValue)] { if case let .object(members) = self { members } else { [] } }
    var items: [JSONValue]? { if case let .array(items) = self { items } else { nil } }
    var text: String? { if case let .string(s) = self { s } else { nil } }
    var bool: Bool? { if case let .bool(b) = self { b } else { nil } }
    /// A value as the page writes it: strings bare, numbers and the rest as JSON.
    var plain: String { text ?? serialized() }
}
