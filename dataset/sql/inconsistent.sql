-- Reports whose tables do not add up: every failing identity, within a report (scope 'report'),
-- across years of one agency ('cross_report'), or both ('all').
SELECT r.agency_name, r.year, c.table_name, c.rule, c.scope, c.cells, c.expected, c.actual, c.message, r.source_url
FROM checks c JOIN reports r USING (report_id)
WHERE c.status = 'fail' AND r.year = $year AND ($scope = 'all' OR c.scope = $scope)
ORDER BY r.agency_name, c.table_name, c.rule, c.cells
