def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.writePreviousRun(basedir)
// the firmware's map with the __stop_riot_fw line removed
def map = new File(vectorsDir, 'firmware/fw-a.ino.map').getText('ISO-8859-1')
def edited = map.readLines().findAll { !it.contains('__stop_riot_fw = .') }.join('\n') + '\n'
assert edited != map
new File(basedir, 'no-stop-riot-fw.map').setText(edited, 'ISO-8859-1')
return true
