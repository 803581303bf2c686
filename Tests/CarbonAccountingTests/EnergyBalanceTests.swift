import CarbonKit
import Testing
@testable import CarbonAccounting

@Suite("Energy balance: the inventory by fuel")
struct EnergyBalanceTests {
    let csv = header + """
    2022,City,I.1.1,natural_gas,100,t,,,,,,,,,,,utility,
    2022,City,I.1.1,lpg,10,t,,,,,,,,,,,survey,
    2022,City,I.1.2,electricity,5,GWh,grid:cn_national:2022,,,,,,,,,,grid,
    2022,City,III.1.1,,1000,t,,,,,CH4,,,,,,landfill,
    """

    func balance() throws -> (EnergyBalance, Inventory) {
        let table = try ActivityCSV.read(csv, file: "test.csv").table
        let gwp = try GasCatalog.standard.gwpSet("AR5")
        return (try EnergyBalance.compute(table, gwp: gwp), try inventory(csv))
    }

    @Test("Rows add up to the inventory's BASIC total")
    func sumsToBasic() throws {
        let (balance, inventory) = try balance()
        let sum = balance.rows.reduce(0) { $0 + $1.co2eTonnes }
        #expect(close(sum, inventory.totals(year: 2022).basic))
    }

    @Test("Energy in TJ through IPCC 2006's NCV: 100 t of natural gas at 48.0 TJ/Gg is 4.8 TJ; 5 GWh is 18 TJ; a landfill has no energy")
    func energy() throws {
        let (balance, _) = try balance()
        #expect(close(balance.rows.first { $0.fuel == "natural_gas" }?.energyTJ, 4.8))
        #expect(close(balance.rows.first { $0.fuel == "electricity" }?.energyTJ, 18))
        let landfill = try #require(balance.rows.first { $0.gpcRef == "III.1.1" })
        #expect(landfill.fuel == nil && landfill.energyTJ == nil)
        #expect(close(landfill.co2eTonnes, 1000 * 28))
    }
}
