-- Share of administrative reviews whose result was corrected (结果纠正 / 总计).
WITH t AS (
  SELECT report_id,
         max(CASE WHEN col_key = 'review_corrected' THEN value END) AS corrected,
         max(CASE WHEN col_key = 'review_total' THEN value END) AS reviews
  FROM review_litigation GROUP BY report_id)
SELECT r.agency_name, r.year, t.corrected, t.reviews, round(t.corrected / t.reviews, 4) AS correction_rate
FROM t JOIN reports r USING (report_id)
WHERE r.year = $year AND t.reviews >= $min_volume AND t.corrected IS NOT NULL
ORDER BY correction_rate DESC, r.agency_name
LIMIT $limit
