import CityCarbonPages

/// The controls of a staff form as partials: a labelled input, a select with its choice kept,
/// a cell of an editable row, and a repeated list's table with a "remove" box on each held
/// row and the "more rows" button under it. Labels and names are in the page's language.
struct FormControls {
    let t: Localizer

    func label(_ key: String, for id: String) -> HTML { "<label for=\"\(id)\">\(t(key))</label>" }

    /// An input with its label (when `label` names one); `extra` is further attributes.
    func input(_ name: String, _ value: String?, type: String = "text", id: String? = nil, label key: String? = nil,
               extra: HTML = "") -> HTML {
        let id = id ?? name
        return "\(key.map { label($0, for: id) })<input id=\"\(id)\" name=\"\(name)\" type=\"\(type)\" value=\"\(value ?? "")\"\(extra)>"
    }

    /// A select of `options` (value, shown name) with `selected` chosen; named by `aria` when it has no label.
    func select(_ name: String, _ options: [(String, String)], _ selected: String?, id: String? = nil, aria: String) -> HTML {
        let choices = options.html { "<option value=\"\($0.0)\"\($0.0 == selected ? " selected" : "")>\($0.1)</option>" }
        let identity: HTML? = id.map { " id=\"\($0)\"" }
        return "<select\(identity) name=\"\(name)\" aria-label=\"\(aria)\">\(choices)</select>"
    }

    /// An input in a row of a repeated list, named by `aria` (a row has no labels of its own).
    func cell(_ name: String, _ value: String?, type: String = "text", aria: String, extra: HTML = "") -> HTML {
        "<td><input name=\"\(name)\" type=\"\(type)\" value=\"\(value ?? "")\" aria-label=\"\(aria)\"\(extra)></td>"
    }

    /// A list's rows: the `held` first, each with a "remove" box, then the empty ones, then the "more rows" button.
    func list(_ id: String, caption: String, headers: [String], rows: [HTML], held: Int) -> HTML {
        let heads = Table.headings((headers + ["edit.remove"]), t)
        let body = rows.enumerated().html { i, cells -> HTML in
            let remove: HTML = i < held
                ? "<td><input type=\"checkbox\" name=\"remove_\(id)\" value=\"\(i + 1)\" aria-label=\"\(t("edit.removeRow", ["row": String(i + 1)]))\"></td>"
                : "<td></td>"
            return "<tr>\(cells)\(remove)</tr>"
        }
        return """
            <table id="\(id)" class="edit"><caption>\(t(caption))</caption><thead><tr>\(heads)</tr></thead><tbody>\(body)</tbody></table>\
            <p><button type="submit" name="intent" value="more" class="secondary" formnovalidate>\(t("edit.moreRows"))</button></p>
            """
    }
}
