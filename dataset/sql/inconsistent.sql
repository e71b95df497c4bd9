-- Reports whose tables do not add up: every failing identity, within a report (scope 'report'),
-- across years of one agency ('cross_report'), or both ('all'). Reads `scope`: the reports chosen.
SELECT r.agency_name, r.year, c."table", c.rule, c.scope, c.cells, c.expected, c.actual, c.message, r.source_url
FROM checks c JOIN scope r USING (report_id)
WHERE c.status = 'fail' AND ($scope = 'all' OR c.scope = $scope)
ORDER BY r.year, r.agency_name, c."table", c.rule, c.cells
