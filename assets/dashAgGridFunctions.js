// Functions the table view's grid may call from its column definitions (dash-ag-grid looks them up here).
// Numbers are written as the page's language writes them, by the browser's own Intl (ICU, CLDR data):
// $1,234,567 (en), 1.234.567 USD (it), 1 234 567 $ (ru). A missing value reads as an em dash, never as zero.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.localMoney = function (value, lang) {
    if (value === null || value === undefined) { return "\u2014"; }
    return new Intl.NumberFormat(lang, {style: "currency", currency: "USD", maximumFractionDigits: 0}).format(value);
};

dagfuncs.localPercent = function (value, lang, signed) {
    if (value === null || value === undefined) { return "\u2014"; }
    return new Intl.NumberFormat(lang, {
        style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
        signDisplay: signed ? "exceptZero" : "auto",
    }).format(value);
};
