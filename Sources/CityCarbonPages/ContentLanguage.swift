extension Localizer {
    /// Text the data gives (a source, a note, an organisation's name), escaped and marked with
    /// the language it is written in when that is not the page's (WCAG 2.1, 3.1.2 Language of
    /// Parts), so a screen reader speaks it right and nobody mistakes it for the page's own
    /// words. The data is written in English or in Chinese: text mostly in Han characters is
    /// taken as Chinese, text in Latin letters as English.
    package func content(_ text: String) -> String {
        let escaped = Markup.escape(text)
        guard let written = Self.language(of: text), written != language.rawValue else { return escaped }
        return "<span lang=\"\(written)\">\(escaped)</span>"
    }

    /// "zh-Hans" for text whose Han characters are at least a third of its Latin letters,
    /// "en" for other text with Latin letters, nil for text of neither (numbers, symbols).
    static func language(of text: String) -> String? {
        var han = 0, latin = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF: han += 1
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: latin += 1
            default: break
            }
        }
        if han > 0, han * 3 >= latin { return "zh-Hans" }
        return latin > 0 ? "en" : nil
    }
}
