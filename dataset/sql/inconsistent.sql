-- Reports whose tables do not add up: every failing identity, within a report (scope 'report'),
-- across years of one agency ('cross_report'), or both ('all'). Reads `scope`: the reports chosen.
-- COLUMNS(...) takes the checks' table column by either of its names (table_name, formerly table).
SELECT r.agency_name, r.year, COLUMNS('^(table_name|table)$'), c.rule, c.scope, c.cells, c.expected,
       c.actual, c.message, r.source_url
FROM checks c JOIN scope r USING (report_id)
WHERE c.status = 'fail' AND ($scope = 'all' OR c.scope = $scope)
ORDER BY r.year, r.agency_name, 3, c.rule, c.cells
