def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
Catalogue.setup(basedir, 'catalogue-firmware', new File(vectorsDir))
return true
