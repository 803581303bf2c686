/// The table partial: headings named by the language file's keys, and a whole table with its
/// caption, so every table says what it holds and its columns are headings a screen reader
/// announces with each cell. ``ScrollingTables`` then gives each table its scrolling box.
package enum Table {
    /// `<th scope="col">` for each key, in the page's language, in order; an empty key is an empty heading.
    package static func headings(_ keys: [String], _ t: Localizer) -> HTML {
        keys.html { #"<th scope="col">\#($0.isEmpty ? "" : t($0))</th>"# }
    }

    /// A table: its caption, a head row of `headings`, the body's `rows`, and an optional foot.
    package static func html(id: String? = nil, class name: String? = nil, caption: String?, headings: HTML, rows: HTML,
                             foot: HTML? = nil) -> HTML {
        let identity: HTML? = id.map { #" id="\#($0)""# }
        let kind: HTML? = name.map { #" class="\#($0)""# }
        let title: HTML? = caption.map { "<caption>\($0)</caption>" }
        let end: HTML? = foot.map { "<tfoot>\($0)</tfoot>" }
        return "<table\(identity)\(kind)>\(title)<thead><tr>\(headings)</tr></thead><tbody>\(rows)</tbody>\(end)</table>"
    }
}
