// A tiny single-page app: client-side routes with the History API, no framework, no build step.
// Deep links such as /about work because the CDN (and oneclick's local preview) answer unknown paths
// with /index.html and status 200 (the SPA fallback).
(function () {
  'use strict';

  var routes = {
    '/': {
      title: 'Home',
      html: '<h1>Deployed with one click</h1>' +
        '<p>This page is a static single-page app. oneclick put it in a private S3 bucket named after the ' +
        'project GUID, in front of a CloudFront distribution, and recorded both in DynamoDB.</p>' +
        '<p>Follow the links above: they change the URL without reloading. Reload on any of them and the ' +
        'page still comes back.</p>'
    },
    '/how-it-works': {
      title: 'How it works',
      html: '<h1>How it works</h1><ol class="steps">' +
        '<li><code>oneclick:plan</code> hashes every file and compares with the last deploy.</li>' +
        '<li><code>oneclick:deploy</code> uploads only what changed; fingerprinted assets are cached for a year, ' +
        '<code>index.html</code> is revalidated on every visit.</li>' +
        '<li>The resources (bucket, distribution, URL) land in <code>target/oneclick/resources.json</code>.</li>' +
        '</ol>'
    },
    '/about': {
      title: 'About',
      html: '<h1>About</h1><p>An example of the oneclick project: plain HTML, CSS and JavaScript with ' +
        'fingerprinted asset names.</p>'
    }
  };

  function notFound(path) {
    var safe = document.createElement('code');
    safe.textContent = path;
    return '<h1>Not found</h1><p>No page at ' + safe.outerHTML + '. <a href="/" data-link>Go home</a>.</p>';
  }

  function render(path) {
    var route = routes[path];
    var view = document.getElementById('view');
    view.innerHTML = route ? route.html : notFound(path);
    document.title = (route ? route.title : 'Not found') + ' - oneclick example';
    var links = document.querySelectorAll('nav a');
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('href') === path) {
        links[i].setAttribute('aria-current', 'page');
      } else {
        links[i].removeAttribute('aria-current');
      }
    }
  }

  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-link]');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) {
      return;
    }
    event.preventDefault();
    var path = link.getAttribute('href');
    if (path !== window.location.pathname) {
      window.history.pushState({}, '', path);
    }
    render(path);
  });

  window.addEventListener('popstate', function () {
    render(window.location.pathname);
  });

  render(window.location.pathname);
}());
