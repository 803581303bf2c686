import CarbonKit
import Foundation

/// A SensorThings batch request (SensorThings 1.1 §11.2) in OData's JSON batch format (OData
/// JSON Format 4.01 §19): `{"requests": [{id, method, url, headers, body, dependsOn, atomicityGroup}]}`,
/// run in order. A request whose `url` starts with `$id` works on the entity request `id`
/// created; a request that depends on one that failed is not run (424).
public struct STABatch: Sendable {
    public static let maximumRequests = 1_000

    public struct Request: Sendable {
        public var id: String
        public var method: String
        /// Below the service root, as sent, with its query.
        public var url: String
        public var contentType: String?
        public var body: [UInt8]
        public var dependsOn: [String]
        public var atomicityGroup: String?
    }

    public var requests: [Request]

    /// Reads a batch; `root` is the service root's path (`/sta/v1.1`) or address, which a request's url may begin with.
    public static func read(_ bytes: [UInt8], roots: [String]) throws(InputErrors) -> STABatch {
        let document: JSONValue
        do { document = JSONValue(try JSONReader.read(Data(bytes), maximumDepth: 32)) } catch {
            throw InputErrors([InputIssue(InputLocation(), reason: "is not JSON: \(error)")])
        }
        guard case let .object(members) = document, case let .array(list)? = members.first(where: { $0.0 == "requests" })?.1 else {
            throw InputErrors([InputIssue(InputLocation(field: "requests"), reason: "a JSON batch lists its requests in requests (OData JSON Format 4.01 §19)")])
        }
        guard list.count <= maximumRequests else {
            throw InputErrors([InputIssue(InputLocation(field: "requests"), value: String(list.count), reason: "holds more than \(maximumRequests) requests")])
        }
        var issues: [InputIssue] = []
        var requests: [Request] = []
        var ids = Set<String>()
        for (index, item) in list.enumerated() {
            let place = "requests[\(index)]"
            func fail(_ field: String, _ value: JSONValue?, _ reason: String) {
                if issues.count < 200 { issues.append(InputIssue(InputLocation(field: place + field), value: value.map { String($0.serialized().prefix(80)) }, reason: reason)) }
            }
            guard case let .object(fields) = item else { fail("", item, "is not a request object"); continue }
            func member(_ name: String) -> JSONValue? { fields.first { $0.0 == name }?.1 }
            guard case let .string(id)? = member("id"), !id.isEmpty, id.count <= 100 else { fail(".id", member("id"), "names the request: 1 to 100 characters"); continue }
            guard ids.insert(id).inserted else { fail(".id", .string(id), "is the id of an earlier request"); continue }
            guard case let .string(method)? = member("method"), ["GET", "POST", "PATCH", "PUT", "DELETE"].contains(method.uppercased()) else {
                fail(".method", member("method"), "is get, post, patch, put or delete"); continue
            }
            guard case let .string(url)? = member("url"), !url.isEmpty else { fail(".url", member("url"), "is the resource, such as Things('pa-1')"); continue }
            var relative = Substring(url)
            for root in roots where relative.hasPrefix(root + "/") { relative = relative.dropFirst(root.count + 1); break }
            if relative.hasPrefix("/") || relative.contains("://") {
                fail(".url", .string(url), "is below this service's root (\(roots.first ?? "")), such as Things('pa-1')"); continue
            }
            var contentType: String?
            if let headers = member("headers") {
                guard case let .object(pairs) = headers else { fail(".headers", headers, "is an object of header names and values"); continue }
                for (name, value) in pairs {
                    guard case let .string(text) = value else { fail(".headers.\(name)", value, "is a header's text"); continue }
                    if name.lowercased() == "content-type" { contentType = text }
                }
            }
            var dependsOn: [String] = []
            if let depends = member("dependsOn") {
                guard case let .array(names) = depends else { fail(".dependsOn", depends, "lists earlier requests' ids"); continue }
                for name in names {
                    guard case let .string(earlier) = name, ids.contains(earlier), earlier != id else {
                        fail(".dependsOn", name, "names an earlier request of this batch"); continue
                    }
                    dependsOn.append(earlier)
                }
            }
            var group: String?
            if let atomicity = member("atomicityGroup") {
                guard case let .string(name) = atomicity else { fail(".atomicityGroup", atomicity, "is text"); continue }
                group = name
            }
            let body: [UInt8]
            switch member("body") {
            case nil, .null?: body = []
            case let .string(text)?: body = Array(text.utf8)
            case let value?: body = Array(value.serialized().utf8)
            }
            requests.append(Request(id: id, method: method.uppercased(), url: String(relative), contentType: contentType, body: body,
                                    dependsOn: dependsOn, atomicityGroup: group))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return STABatch(requests: requests)
    }

    /// `url` with a leading `$id` replaced by the path of the entity that request created; nil when it names none.
    public static func resolve(_ url: String, created: [String: String]) -> String? {
        guard url.hasPrefix("$") else { return url }
        let name = url.dropFirst().prefix { $0 != "/" && $0 != "?" }
        guard let path = created[String(name)] else { return nil }
        return path + url.dropFirst(1 + name.count)
    }
}
