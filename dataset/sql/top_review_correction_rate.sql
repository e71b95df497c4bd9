-- review_correction_rate: corrected / reviews in 表四 行政复议: 结果纠正 over 总计 (administrative reviews of
-- the agency's decisions that were concluded). --min-volume applies to reviews.
-- sort: correction_rate
-- volume: reviews
WITH t AS (
  SELECT report_id,
         max(CASE WHEN col_key = 'review_corrected' THEN value END) AS corrected,
         max(CASE WHEN col_key = 'review_total' THEN value END) AS reviews
  FROM review_litigation GROUP BY report_id)
SELECT report_id, corrected, reviews, round(corrected / reviews, 4) AS correction_rate
FROM t WHERE corrected IS NOT NULL AND reviews > 0
