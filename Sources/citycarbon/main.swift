import ArgumentParser
import CarbonKit
import Foundation

// Exit status: 0 success, 1 the input has errors (all printed), 2 wrong usage.
do {
    var command = try CityCarbon.parseAsRoot()
    try command.run()
} catch let errors as InputErrors {
    Terminal.printErrors(errors)
    exit(1)
} catch let failure as CLIFailure {
    Terminal.error(failure.message)
    exit(failure.usage ? 2 : 1)
} catch {
    let code = CityCarbon.exitCode(for: error)
    if code == .success {
        print(CityCarbon.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((CityCarbon.fullMessage(for: error) + "\n").utf8))
    exit(code == .validationFailure ? 2 : code.rawValue)
}
