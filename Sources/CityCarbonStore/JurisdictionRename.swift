import CarbonKit
import Foundation

/// What a jurisdiction's new name must reach. Tables that point at a jurisdiction by id
/// (activity rows, statistics, boundaries, sites, inventory cells) follow by themselves;
/// documents and scopes that name it must be rewritten in the same transaction, or a renamed
/// district would lose its targets, its staff's scope and its map shape.
///
/// Records that are frozen keep the name they were frozen with: yearly plan reports (their
/// digest covers the text), assessments once frozen, and the audit trail.
enum JurisdictionRename {
    /// Every place a jurisdiction's name is held as JSON text: the table, its column, which
    /// rows (frozen ones are left), and what the document's top level is (a list of names for scopes).
    static let documents: [(table: String, column: String, filter: String, root: String?)] = [
        ("account", "jurisdictions", "", "jurisdictions"),
        ("api_key", "jurisdictions", "", "jurisdictions"),
        ("indicator", "document", "", nil),
        ("indicator", "published_document", " WHERE published_document IS NOT NULL", nil),
        ("target", "document", "", nil),
        ("pilot", "document", "", nil),
        ("assessment", "document", " WHERE state = 'draft'", nil),
        ("pathway_scenario", "document", "", nil),
        ("inventory", "document", "", nil),
    ]

    /// Rewrites every stored document that names an old name to name its new one, all names
    /// at once (so that two jurisdictions may swap names); returns how many documents changed.
    static func apply(_ db: any SQLConnection, renaming names: [String: String]) throws -> Int {
        var changed = 0
        for place in documents {
            // A cheap text filter first: most documents do not mention the name at all.
            let rows = try SQLRow.fetchAll(db, sql: "SELECT id AS k, \(place.column) AS d FROM \(place.table)\(place.filter)")
            for row in rows {
                let text: String = row["d"]
                guard names.keys.contains(where: { text.contains($0) || $0.contains(where: Self.escaped) }),
                      let json = JSONValue(parsing: text) else { continue }
                let rewritten = rewrite(json, names, under: place.root)
                guard rewritten != json else { continue }
                let id: Int64 = row["k"]
                try db.execute(sql: "UPDATE \(place.table) SET \(place.column) = ? WHERE id = ?", arguments: [rewritten.serialized(), id])
                changed += 1
            }
        }
        return changed
    }

    /// Characters JSON text may hold escaped, so that a plain search for the name could miss it.
    static func escaped(_ c: Character) -> Bool { c == "\"" || c == "\\" || c == "/" || c.unicodeScalars.contains { $0.value < 0x20 } }

    /// Keys whose string value is a jurisdiction's name, and keys whose array holds names.
    static let nameKeys: Set<String> = ["jurisdiction", "district", "parent"]
    static let listKeys: Set<String> = ["jurisdictions", "districts"]

    /// `json` with each old name replaced wherever it stands as a jurisdiction: the value of a
    /// name key, an element of a list of names, any key of an object, or the `name` of
    /// a jurisdiction object within such a list. Other text is left alone.
    static func rewrite(_ json: JSONValue, _ names: [String: String], under key: String? = nil) -> JSONValue {
        switch json {
        case .string(let s):
            let isName = key.map { nameKeys.contains($0) || listKeys.contains($0) } ?? false
            return isName ? .string(names[s] ?? s) : json
        case .array(let items):
            return .array(items.map { item in
                if case .object = item, let key, listKeys.contains(key) { return rewrite(item, names, under: "jurisdiction-object") }
                return rewrite(item, names, under: key.flatMap { listKeys.contains($0) ? $0 : nil } ?? "-")
            })
        case .object(let members):
            let inList = key == "jurisdiction-object", isMap = key.map(listKeys.contains) ?? false
            return .object(members.map { name, value in
                // A key that is a jurisdiction's name is a map by jurisdiction (a target's shares and
                // their basis, a scenario's districts): such a key is renamed wherever it stands.
                let renamedKey = names[name] ?? name
                if inList, name == "name", case .string(let s) = value { return (renamedKey, .string(names[s] ?? s)) }
                return (renamedKey, rewrite(value, names, under: isMap ? "jurisdiction" : name))
            })
        default:
            return json
        }
    }
}
