import CityCarbonPages
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// What a draft changes in a published action, part by part, for the review page: a field, a
/// row of a list added, removed or changed in one part, one language of a text.
extension ActionReviewPage {
    /// One difference a reviewer reads: a field, or one row of a list field (added, removed or
    /// changed in one of its parts), or one language of a text.
    struct Change: Equatable {
        var field: String
        /// The 1-based row of a list field (a task, a cost); nil for the field itself.
        var row: Int? = nil
        /// The part of the row that changed (`dueDate`).
        var part: String? = nil
        /// The language of a text that changed (`en`, `zh`).
        var language: String? = nil
        var before: String
        var after: String
        /// A whole row added or removed, part by part (`dueDate` → "2027-03-31"), for labels in the page's language.
        var beforeParts: [Part]? = nil
        var afterParts: [Part]? = nil

        struct Part: Equatable {
            var key: String
            var value: String
        }

        /// A side of the change as the page shows it: a row's parts by their names, a status by its name.
        func side(_ before: Bool, _ t: Localizer) -> String {
            if let parts = before ? beforeParts : afterParts {
                return parts.map { "\(t("field.part.\($0.key)")): \($0.value)" }.joined(separator: " · ")
            }
            return shown(before ? self.before : after, t)
        }

        /// A value as the page shows it: a status by its name in the page's language.
        func shown(_ value: String, _ t: Localizer) -> String {
            field == "status" && value != "—" ? t("status.\(value)") : value
        }

        /// "Tasks · row 2 · due date", in the page's language.
        func label(_ t: Localizer) -> String {
            var label = t("field.\(field)")
            if let row { label += " · " + t("review.row", ["row": String(row)]) }
            if let part { label += " · " + t("field.part.\(part)") }
            if let language { label += " (\(Language(rawValue: language).map { Localizer($0).languageName } ?? language))" }
            return label
        }
    }

    /// What differs between the published action and the draft, part by part: a changed
    /// field, a row added to or removed from a list, a changed part of a row, a changed
    /// language of a text. The reviewer sees exactly what publishing would change.
    static func changes(from old: PlanAction, to new: PlanAction) -> [Change] {
        guard case .object(let before)? = try? json(old), case .object(let after)? = try? json(new) else { return [] }
        let lookup = Dictionary(before, uniquingKeysWith: { a, _ in a })
        var result: [Change] = []
        for (key, value) in after where key != "updatedOn" {
            let previous = lookup[key] ?? .null
            if previous != value { result += compare(key, previous, value) }
        }
        for (key, value) in before where after.first(where: { $0.0 == key }) == nil && key != "updatedOn" {
            result.append(Change(field: key, before: readable(value), after: "—"))
        }
        return result
    }

    /// The parts of one field that differ: rows of a list of records, languages of a text.
    private static func compare(_ field: String, _ old: JSONValue, _ new: JSONValue) -> [Change] {
        if let a = languages(old) ?? (old == .null ? [:] : nil), let b = languages(new) ?? (new == .null ? [:] : nil) {
            return Set(a.keys).union(b.keys).sorted().compactMap { code in
                a[code] == b[code] ? nil : Change(field: field, language: code, before: a[code] ?? "—", after: b[code] ?? "—")
            }
        }
        guard case .array(let rowsBefore) = old == .null ? .array([]) : old, case .array(let rowsAfter) = new == .null ? .array([]) : new,
              (rowsBefore + rowsAfter).allSatisfy({ if case .object = $0 { true } else { false } }) else {
            return [Change(field: field, before: readable(old), after: readable(new))]
        }
        var result: [Change] = []
        for index in 0..<max(rowsBefore.count, rowsAfter.count) {
            let a = index < rowsBefore.count ? rowsBefore[index] : nil, b = index < rowsAfter.count ? rowsAfter[index] : nil
            guard a != b else { continue }
            guard case .object(let partsBefore)? = a, case .object(let partsAfter)? = b else {
                result.append(Change(field: field, row: index + 1, before: a.map(readable) ?? "—", after: b.map(readable) ?? "—",
                                     beforeParts: a.map(parts), afterParts: b.map(parts)))
                continue
            }
            let lookup = Dictionary(partsBefore, uniquingKeysWith: { x, _ in x })
            let keys = partsAfter.map(\.0) + partsBefore.map(\.0).filter { k in !partsAfter.contains { $0.0 == k } }
            let afterLookup = Dictionary(partsAfter, uniquingKeysWith: { x, _ in x })
            for key in keys where lookup[key] != afterLookup[key] {
                result.append(Change(field: field, row: index + 1, part: key, before: readable(lookup[key] ?? .null), after: readable(afterLookup[key] ?? .null)))
            }
        }
        return result
    }

    /// A row's parts with their values, empty ones left out.
    private static func parts(_ row: JSONValue) -> [Change.Part] {
        guard case .object(let members) = row else { return [] }
        return members.compactMap { key, value in
            let text = readable(value)
            return text == "—" ? nil : Change.Part(key: key, value: text)
        }
    }

    /// A multilingual text's languages, or nil when the value is not one.
    private static func languages(_ value: JSONValue) -> [String: String]? {
        guard case .object(let members) = value, members.count == 1, members[0].0 == "values", case .object(let texts) = members[0].1 else { return nil }
        var result: [String: String] = [:]
        for (code, text) in texts { if case .string(let s) = text { result[code] = s } }
        return result
    }

    /// A value as a reviewer reads it: text without quotes, lists joined, records as `key: value`.
    static func readable(_ value: JSONValue) -> String {
        switch value {
        case .null: return "—"
        case .string(let s): return s
        case .array(let items): return items.isEmpty ? "—" : items.map(readable).joined(separator: "; ")
        case .object where languages(value)?.count == 1:
            return languages(value)!.values.first!
        case .object where languages(value) != nil:
            return languages(value)!.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " / ")
        case .object(let members): return members.map { "\($0.0): \(readable($0.1))" }.joined(separator: ", ")
        default: return value.serialized()
        }
    }

    static func json(_ action: PlanAction) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return JSONValue(parsing: String(decoding: try encoder.encode(action), as: UTF8.self)) ?? .null
    }
}
