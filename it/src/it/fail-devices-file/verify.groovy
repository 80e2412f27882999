def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.failedCleanly(basedir, ["device devices.csv:7: macAddress: 'c8934600004' is not a MAC address"])
return true
