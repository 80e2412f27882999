// Each module of this reactor is one case of lib/Catalogue.groovy: see Catalogue.verifyModules.
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Catalogue.verifyModules(basedir, 'catalogue-firmware', new File(vectorsDir)).each { println "NOTE: $it" }
Catalogue.checkGuide(new File(projectRoot), basedir)
// no UDS in the log or in any module's target/ (outputs, manifests)
def secrets = [Catalogue.UDS_P01, Catalogue.UDS_P08, Catalogue.UDS_P10]
Checks.noSecrets(basedir, secrets)
Catalogue.cases('catalogue-firmware').each { Checks.noSecrets(new File(basedir, it.id), secrets) }
// invocation 2 ran -X on the map whose __stop_riot_fw line is repeated: the debug line says which counts
def logs = Catalogue.invocations(basedir)
assert logs.size() == 2
assert logs[1].contains('[DEBUG] ')
assert logs[1] =~ /\[DEBUG\] \S*fw-b-dupsym\.ino\.map: symbol __stop_riot_fw appears again on line 1007 \(0x800d684\), replacing line 398 \(0x800d694\); the last occurrence counts, as in the reference tool/
return true
