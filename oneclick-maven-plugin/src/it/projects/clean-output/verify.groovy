def log = new File(basedir, 'build.log').text
assert !log.contains('\u001b') : 'no ANSI escape codes'
assert !log.contains('[0m')
assert !log.contains('CORS allowed origins') && !log.contains('jetty-11') && !log.contains('Started ServerConnector') :
        's3proxy/Jetty start-up lines stay out of the log'
assert log.contains('Local preview of 0f1a2b3c-4d5e-4f6a-9b7c-8d9e0f1a2b3c') : 'the first, normal run logs the deploy'
// the second run (-q) printed nothing after the first one's closing lines
def quiet = log.substring(log.lastIndexOf('[INFO] Finished at:')).readLines().drop(2).findAll { it.trim() && !it.startsWith('Running post-build script') }
assert quiet == [] : "-q prints nothing on success: ${quiet}"
return true
