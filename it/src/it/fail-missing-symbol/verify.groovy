def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.failedCleanly(basedir, ['firmwareMap: ', 'no-stop-riot-fw.map', 'missing symbol __stop_riot_fw'])
return true
