def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.failedCleanly(basedir, ['firmwareElf: ', 'fw-a.ino.bin is not an ELF file', 'expected the linked firmware .elf'])
return true
