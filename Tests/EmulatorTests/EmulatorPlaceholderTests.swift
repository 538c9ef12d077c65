import Testing
@testable import KsqlDBEmulator
