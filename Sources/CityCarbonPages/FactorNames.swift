import CarbonAccounting

extension Localizer {
    /// A fuel by its name in the page's language ("Natural gas", "天然气") from the fuel
    /// catalogue; the key as stored when the catalogue does not know it.
    package func fuel(_ key: String) -> String {
        guard let fuel = FuelCatalog.standard[key] else { return key }
        return language == .zhHans ? fuel.name.zhHans : fuel.name.en
    }

    /// What a factor gives ("Net calorific value", "CH4 emission factor (fossil)"), from
    /// `factors.quantity.<key>`; the key as stored when no language file names it.
    package func factorQuantity(_ key: String) -> String {
        strings["factors.quantity.\(key)"] ?? Self.tables["en"]?["factors.quantity.\(key)"] ?? key
    }
}
