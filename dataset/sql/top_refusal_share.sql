-- Share of handled applications withheld (（三）不予公开, derived withheld_total) among 办理结果总计.
WITH t AS (
  SELECT report_id,
         max(CASE WHEN row_key = 'withheld_total' THEN value END) AS withheld,
         max(CASE WHEN row_key = 'results_total' AND NOT derived THEN value END) AS handled
  FROM applications WHERE col_key = 'total' GROUP BY report_id)
SELECT r.agency_name, r.year, t.withheld, t.handled, round(t.withheld / t.handled, 4) AS refusal_share
FROM t JOIN reports r USING (report_id)
WHERE r.year = $year AND t.handled >= $min_volume AND t.withheld IS NOT NULL
ORDER BY refusal_share DESC, r.agency_name
LIMIT $limit
