extension Localizer {
    /// Text the data gives (a source, a note, an organisation's name), escaped, with each run of
    /// it written in another language than the page's marked as such (WCAG 2.1, 3.1.2 Language
    /// of Parts), so a screen reader speaks it right and nobody takes it for the page's own
    /// words. The data is written in English or in Chinese, often both in one line (an English
    /// citation of a Chinese section title): runs of Han characters are Chinese, runs of Latin
    /// letters English; digits, spaces and punctuation stay with the run they follow.
    package func content(_ text: String) -> HTML {
        Self.runs(of: text).html { run in
            // Acronyms and codes ("BASIC+", "GWP AR5", "CO2") are read the same in either language: only words are marked.
            let words = run.language != "en" || run.text.contains { $0.isLowercase && $0.isASCII }
            guard let lang = run.language, lang != language.rawValue, words else { return "\(run.text)" }
            return #"<span lang="\#(lang)">\#(run.text)</span>"#
        }
    }

    /// The text cut where its script changes, each piece with its language (nil before any letter).
    static func runs(of text: String) -> [(text: String, language: String?)] {
        var runs: [(text: String, language: String?)] = []
        for character in text {
            let script = Self.language(of: character)
            if let script, let last = runs.last, last.language != script, last.language != nil || runs.count > 1 {
                runs.append((String(character), script))
            } else if let script, let last = runs.last, last.language == nil {
                runs[runs.count - 1] = (last.text + String(character), script)
            } else if runs.isEmpty {
                runs.append((String(character), script))
            } else {
                runs[runs.count - 1].text.append(character)
            }
        }
        return runs
    }

    /// "zh-Hans" for a Han character, "en" for a Latin letter, nil for anything else.
    static func language(of character: Character) -> String? {
        guard let scalar = character.unicodeScalars.first else { return nil }
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF: return "zh-Hans"
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: return "en"
        default: return nil
        }
    }
}
