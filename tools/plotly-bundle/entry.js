// The page's plotly.js: its core (with the scatter trace) and the two other trace types the dashboard's
// figures use, bar and choropleth (tests/dashboard/test_plotly_bundle.py checks that list against every view's
// figures). 1.4 MB instead of the full bundle's 4.8 MB, which the browser spent ~0.5 s compiling and running
// before the first chart of every fresh visit (bench P0). Exports keep the full bundle (kaleido, HTML files).
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/choropleth')]);
module.exports = Plotly;
