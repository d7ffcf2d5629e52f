def log = new File(basedir, 'build.log').text
assert log.contains('no deploy of 8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f is in the local state')
assert log.contains('No deployment of 8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f is recorded')
assert log.contains('The local state (buckets, tables, records) is kept in')
return true
