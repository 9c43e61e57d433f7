#include <deal.II/base/bounding_box.h>
#include <deal.II/base/exceptions.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe.h>
#include <deal.II/fe/fe_values.h>

#include <deal.II/grid/filtered_iterator.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/grid_tools_cache.h>

#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/lapack_full_matrix.h>

#include <deal.II/numerics/rtree.h>

#include <mollifem/mollifier/convolution_operator.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace mollifem
{
  namespace
  {
    using Row = std::vector<std::pair<types::global_dof_index, double>>;

    /// Sort a row by column and add up repeated columns.
    void
    compress_row(Row &row)
    {
      std::stable_sort(row.begin(), row.end(), [](const auto &a, const auto &b) {
        return a.first < b.first;
      });
      std::size_t n = 0;
      for (std::size_t i = 0; i < row.size(); ++i)
        if (n > 0 && row[n - 1].first == row[i].first)
          row[n - 1].second += row[i].second;
        else
          row[n++] = row[i];
      row.resize(n);
    }

    /**
     * The local moment problem of the mollifier: the kernel, the requested
     * operators, and the polynomial basis p of the correction (products of
     * Legendre polynomials of total degree at most m in the scaled offset
     * z = (y - x)/h: the same space as the monomials, much better
     * conditioned). Works on
     * plain lists of points and weights, so that quadrature points of
     * cells and scattered data points go through the same code.
     */
    /// legendre[k][j]: the coefficient of z^j in the Legendre polynomial
    /// P_k, k <= 8.
    using LegendreTable = std::array<std::array<double, 9>, 9>;

    LegendreTable
    make_legendre_table()
    {
      LegendreTable table{};
      table[0][0] = 1.;
      table[1][1] = 1.;
      for (unsigned int k = 1; k < 8; ++k)
        for (unsigned int j = 0; j < 9; ++j)
          table[k + 1][j] =
            ((j > 0 ? (2. * k + 1.) * table[k][j - 1] : 0.) -
             k * table[k - 1][j]) /
            (k + 1.);
      return table;
    }

    const LegendreTable legendre = make_legendre_table();

    template <int dim>
    class MomentProblem
    {
    public:
      MomentProblem(const Kernel<dim> &                            kernel,
                    const std::vector<DifferentialOperator<dim>> &outputs,
                    const std::vector<unsigned int> &              degrees,
                    const bool                                     corrected,
                    const BoundingBox<dim> &                       domain)
        : kernel(kernel)
        , domain(domain)
        , outputs(outputs)
        , degrees(degrees)
        , degree(*std::max_element(degrees.begin(), degrees.end()))
        , basis(multi_indices_up_to<dim>(degree))
        , corrected(corrected)
        , kernel_values(1 + outputs.size())
        , p(basis.size())
      {}

      unsigned int
      n_basis() const
      {
        return basis.size();
      }

      unsigned int
      n_outputs() const
      {
        return outputs.size();
      }

      /// Number of basis functions of total degree at most m.
      unsigned int
      n_basis_of_degree(const unsigned int m) const
      {
        unsigned int n = 0;
        while (n < basis.size() && order<dim>(basis[n]) <= m)
          ++n;
        return n;
      }

      /// Position of M(a, b), a <= b, in the packed upper triangle.
      unsigned int
      packed_index(const unsigned int a, const unsigned int b) const
      {
        const unsigned int n_p = n_basis();
        return a * n_p - a * (a - 1) / 2 + (b - a);
      }

      /// Size of the moment record of one target: the upper triangle of M,
      /// then mu (n_outputs x n_basis), then the number of points inside.
      unsigned int
      moment_size() const
      {
        return n_basis() * (n_basis() + 1) / 2 + n_outputs() * n_basis() + 1;
      }

      /// Size of the coefficients c (n_outputs x n_basis).
      unsigned int
      coefficient_size() const
      {
        return n_outputs() * n_basis();
      }

      /// moments += the contributions of the points y with weights w.
      void
      add_moments(const Point<dim> &             x,
                  const Point<dim> &             h,
                  const std::vector<Point<dim>> &y,
                  const std::vector<double> &    w,
                  double *                       moments) const
      {
        const unsigned int n_p       = n_basis();
        double *           mu        = moments + n_p * (n_p + 1) / 2;
        double &           n_inside  = moments[moment_size() - 1];
        Point<dim>         center, half;
        frame(x, h, center, half);
        for (unsigned int q = 0; q < y.size(); ++q)
          {
            Point<dim> z;
            for (unsigned int i = 0; i < dim; ++i)
              z[i] = (y[q][i] - x[i]) / h[i];
            if (!kernel.evaluate(-z, h, outputs, kernel_values.data()))
              continue;
            n_inside += 1.;
            evaluate_basis(y[q], center, half);
            const double eta = w[q] * correction_weight(z);
            unsigned int k   = 0;
            for (unsigned int a = 0; a < n_p; ++a)
              {
                const double eta_pa = eta * p[a];
                for (unsigned int b = a; b < n_p; ++b)
                  moments[k++] += eta_pa * p[b];
              }
            for (unsigned int o = 0; o < outputs.size(); ++o)
              {
                const double l_eta = w[q] * kernel_values[1 + o];
                for (unsigned int a = 0; a < n_p; ++a)
                  mu[o * n_p + a] += l_eta * p[a];
              }
          }
      }

      /**
       * The correction coefficients c from the summed moments. Output o
       * uses the basis of degree degrees[o]: the leading block of the basis
       * (sorted by degree), so one moment matrix serves all outputs.
       */
      void
      solve(const Point<dim> &x,
            const Point<dim> &h,
            const double *    moments,
            double *          c) const
      {
        const unsigned int n_p = n_basis();
        const double *     mu  = moments + n_p * (n_p + 1) / 2;
        Point<dim>         center, half;
        frame(x, h, center, half);
        const unsigned int n_inside =
          static_cast<unsigned int>(moments[moment_size() - 1]);
        AssertThrow(n_inside > 0,
                    ExcMessage("The kernel ball around the target " +
                               point_text(x) +
                               " holds no quadrature or data points: "
                               "increase the radius."));
        std::fill(c, c + coefficient_size(), 0.);

        std::map<unsigned int, std::vector<unsigned int>> outputs_of_size;
        for (unsigned int o = 0; o < outputs.size(); ++o)
          outputs_of_size[n_basis_of_degree(degrees[o])].push_back(o);
        for (const auto &[n, outputs_here] : outputs_of_size)
          {
            // Equilibrate: the moments of different basis functions differ
            // in size, more so where the ball leaves the domain.
            Vector<double> scaling(n);
            for (unsigned int a = 0; a < n; ++a)
              scaling[a] = 1. / std::sqrt(moments[packed_index(a, a)]);
            LAPACKFullMatrix<double> matrix(n, n);
            for (unsigned int a = 0; a < n; ++a)
              for (unsigned int b = 0; b < n; ++b)
                matrix(a, b) = moments[packed_index(std::min(a, b),
                                                    std::max(a, b))] *
                               scaling[a] * scaling[b];
            matrix.set_property(LAPACKSupport::symmetric);
            bool factorized = std::isfinite(scaling.l2_norm());
            try
              {
                if (factorized)
                  matrix.compute_cholesky_factorization();
              }
            catch (...)
              {
                factorized = false;
              }
            AssertThrow(
              factorized,
              ExcMessage("The moment matrix of the kernel at the target " +
                         point_text(x) + " is singular: the " +
                         std::to_string(n_inside) +
                         " quadrature or data points in the kernel ball "
                         "cannot determine the " +
                         std::to_string(n) +
                         " polynomials of the reproduction degree. Increase "
                         "the radius or lower the reproduction degree."));
            Vector<double> rhs(n);
            for (const unsigned int o : outputs_here)
              {
                for (unsigned int a = 0; a < n; ++a)
                  rhs[a] =
                    scaling[a] *
                    (derivative_at(outputs[o], basis[a], x, center, half) -
                     mu[o * n_p + a]);
                matrix.solve(rhs);
                for (unsigned int a = 0; a < n; ++a)
                  c[o * n_p + a] = scaling[a] * rhs[a];
              }
          }
      }

      /**
       * psi[q * n_outputs + o] = w_q psi_o(x, y_q): the entries of the
       * target's row for the sample points y. c may be null (plain kernel).
       */
      void
      weights(const Point<dim> &             x,
              const Point<dim> &             h,
              const double *                 c,
              const std::vector<Point<dim>> &y,
              const std::vector<double> &    w,
              std::vector<double> &          psi) const
      {
        const unsigned int n_p   = n_basis();
        const unsigned int n_out = outputs.size();
        Point<dim>         center, half;
        frame(x, h, center, half);
        psi.assign(y.size() * n_out, 0.);
        for (unsigned int q = 0; q < y.size(); ++q)
          {
            Point<dim> z;
            for (unsigned int i = 0; i < dim; ++i)
              z[i] = (y[q][i] - x[i]) / h[i];
            if (!kernel.evaluate(-z, h, outputs, kernel_values.data()))
              continue;
            if (c != nullptr)
              evaluate_basis(y[q], center, half);
            for (unsigned int o = 0; o < n_out; ++o)
              {
                double value = kernel_values[1 + o];
                if (c != nullptr)
                  {
                    double correction = 0.;
                    for (unsigned int a = 0; a < n_p; ++a)
                      correction += c[o * n_p + a] * p[a];
                    value += correction_weight(z) * correction;
                  }
                psi[q * n_out + o] = w[q] * value;
              }
          }
      }

      bool
      is_corrected() const
      {
        return corrected;
      }

    private:
      static double
      correction_weight(const Point<dim> &z)
      {
        const double one_minus_s = 1. - z.square();
        return one_minus_s * one_minus_s;
      }

      /**
       * The frame of the basis of a target: the box of the kernel ball cut
       * by the domain's bounding box, center and half-widths. Legendre
       * polynomials on this box stay well conditioned where the ball is cut
       * by the boundary; on the whole ball they would not.
       */
      void
      frame(const Point<dim> &x,
            const Point<dim> &h,
            Point<dim> &      center,
            Point<dim> &      half) const
      {
        for (unsigned int i = 0; i < dim; ++i)
          {
            const double lower =
              std::max(x[i] - h[i], domain.get_boundary_points().first[i]);
            const double upper =
              std::min(x[i] + h[i], domain.get_boundary_points().second[i]);
            center[i] = 0.5 * (lower + upper);
            half[i]   = std::max(0.5 * (upper - lower), 1e-3 * h[i]);
          }
      }

      void
      evaluate_basis(const Point<dim> &y,
                     const Point<dim> &center,
                     const Point<dim> &half) const
      {
        Point<dim> z;
        for (unsigned int i = 0; i < dim; ++i)
          z[i] = (y[i] - center[i]) / half[i];
        std::array<std::array<double, 9>, dim> powers;
        for (unsigned int i = 0; i < dim; ++i)
          {
            // Legendre polynomials: (k+1) P_{k+1} = (2k+1) z P_k - k P_{k-1}
            powers[i][0] = 1.;
            if (degree > 0)
              powers[i][1] = z[i];
            for (unsigned int k = 1; k < degree; ++k)
              powers[i][k + 1] = ((2. * k + 1.) * z[i] * powers[i][k] -
                                  k * powers[i][k - 1]) /
                                 (k + 1.);
          }
        for (unsigned int a = 0; a < basis.size(); ++a)
          {
            double value = 1.;
            for (unsigned int i = 0; i < dim; ++i)
              value *= powers[i][basis[a][i]];
            p[a] = value;
          }
      }

      /**
       * $(L p_\beta)(x)$ for the basis function
       * $p_\beta(y) = \prod_i P_{\beta_i}((y_i - c_i)/s_i)$ of the frame
       * (center c, half-widths s).
       */
      static double
      derivative_at(const DifferentialOperator<dim> &L,
                    const MultiIndex<dim> &          beta,
                    const Point<dim> &               x,
                    const Point<dim> &               center,
                    const Point<dim> &               half)
      {
        double result = 0.;
        for (const auto &[coefficient, alpha] : L.terms())
          {
            double term = coefficient;
            for (unsigned int i = 0; i < dim && term != 0.; ++i)
              {
                // P_k^{(a)}(xi) = sum_j c_kj j!/(j-a)! xi^(j-a)
                const double xi         = (x[i] - center[i]) / half[i];
                double       derivative = 0.;
                for (unsigned int j = alpha[i]; j <= beta[i]; ++j)
                  {
                    double falling = 1.;
                    for (unsigned int l = 0; l < alpha[i]; ++l)
                      falling *= j - l;
                    derivative += legendre[beta[i]][j] * falling *
                                  std::pow(xi, int(j - alpha[i]));
                  }
                term *= derivative / std::pow(half[i], int(alpha[i]));
              }
            result += term;
          }
        return result;
      }

      static std::string
      point_text(const Point<dim> &x)
      {
        std::ostringstream text;
        text << '(';
        for (unsigned int i = 0; i < dim; ++i)
          text << (i ? ", " : "") << x[i];
        text << ')';
        return text.str();
      }

      const Kernel<dim> &                           kernel;
      const BoundingBox<dim>                        domain;
      const std::vector<DifferentialOperator<dim>> &outputs;
      const std::vector<unsigned int>               degrees;
      const unsigned int                            degree;
      const std::vector<MultiIndex<dim>>            basis;
      const bool                                    corrected;
      mutable std::vector<double>                   kernel_values;
      mutable std::vector<double>                   p;
    };

    template <int dim>
    BoundingBox<dim>
    ball_box(const Point<dim> &x, const Point<dim> &h)
    {
      Point<dim> lower, upper;
      for (unsigned int i = 0; i < dim; ++i)
        {
          lower[i] = x[i] - h[i];
          upper[i] = x[i] + h[i];
        }
      return BoundingBox<dim>(std::make_pair(lower, upper));
    }

    /// Whether two boxes overlap or touch. (BoundingBox::get_neighbor_type()
    /// of deal.II 9.4 misses, in 1D, a box that lies inside the other.)
    template <int dim>
    bool
    intersect(const BoundingBox<dim> &a, const BoundingBox<dim> &b)
    {
      for (unsigned int i = 0; i < dim; ++i)
        if (a.get_boundary_points().first[i] > b.get_boundary_points().second[i] ||
            b.get_boundary_points().first[i] > a.get_boundary_points().second[i])
          return false;
      return true;
    }

    /// A target as another rank sees it.
    template <int dim>
    struct RemoteTarget
    {
      unsigned int owner;
      Point<dim>   x;
      Point<dim>   h;
    };

    /// Targets per batch: bounds the memory of the moment records.
    constexpr unsigned int batch_size = 4096;
  } // namespace



  template <int dim>
  ConvolutionOperator<dim>::ConvolutionOperator(
    const MollifierParameters &                   parameters,
    const std::vector<DifferentialOperator<dim>> &outputs)
    : parameters(parameters)
    , outputs(outputs)
    , kernel(make_kernel_profile(parameters.kernel))
    , degrees([&]() {
      std::vector<unsigned int> result;
      for (const auto &L : outputs)
        result.push_back(parameters.degree_for(L.order()));
      return result;
    }())
  {
    AssertThrow(!outputs.empty(),
                ExcMessage("A convolution operator needs at least one "
                           "output."));
  }



  template <int dim>
  Point<dim>
  ConvolutionOperator<dim>::radii(const double cell_size) const
  {
    if (parameters.bandwidth == MollifierParameters::Bandwidth::fixed)
      return parameters.fixed_radii<dim>();
    Point<dim> h;
    for (unsigned int i = 0; i < dim; ++i)
      h[i] = parameters.radius_in_cells * cell_size;
    return h;
  }



  template <int dim>
  void
  ConvolutionOperator<dim>::reinit(const DoFHandler<dim> &dof_handler,
                                   const Targets<dim> &   targets,
                                   const Mapping<dim> &   mapping)
  {
    const FiniteElement<dim> &fe = dof_handler.get_fe();
    AssertThrow(fe.n_components() == 1,
                ExcMessage("The mollifier convolves scalar fields; " +
                           fe.get_name() + " has several components."));
    const Triangulation<dim> &tria         = dof_handler.get_triangulation();
    const MPI_Comm            communicator = targets.communicator;
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(communicator);

    rows    = targets.locally_owned_rows;
    columns = dof_handler.locally_owned_dofs();
    stats   = Statistics();

    // Hanging-node constraints resolve the columns: the operator acts on
    // the unconstrained DoFs only.
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
    AffineConstraints<double> constraints(relevant);
    DoFTools::make_hanging_node_constraints(dof_handler, constraints);
    constraints.close();

    // Where each rank's cells are.
    const std::vector<std::vector<BoundingBox<dim>>> rank_boxes =
      Utilities::MPI::all_gather(
        communicator,
        GridTools::compute_mesh_predicate_bounding_box(
          tria,
          std::function<bool(
            const typename Triangulation<dim>::active_cell_iterator &)>(
            IteratorFilters::LocallyOwnedCell()),
          // A few levels below the coarse mesh, merged into at most 64
          // boxes: tight enough that targets go only to nearby ranks.
          std::min(tria.n_global_levels() - 1, 4u),
          /*allow_merge=*/true,
          /*max_boxes=*/64));
    // The domain's bounding box frames the correction basis at the boundary.
    std::vector<Point<dim>> corners;
    for (const auto &boxes : rank_boxes)
      for (const auto &box : boxes)
        {
          corners.push_back(box.get_boundary_points().first);
          corners.push_back(box.get_boundary_points().second);
        }
    const BoundingBox<dim> domain_box(corners);
    const MomentProblem<dim> problem(kernel,
                                     outputs,
                                     degrees,
                                     parameters.moment_corrected,
                                     domain_box);
    const unsigned int moment_size      = problem.moment_size();
    const unsigned int coefficient_size = problem.coefficient_size();
    const unsigned int n_out            = outputs.size();

    GridTools::Cache<dim> cache(tria, mapping);
    const auto &          cell_tree =
      cache.get_locally_owned_cell_bounding_boxes_rtree();

    // Quadrature: Gauss points of degree + 1 per direction on cells
    // subdivided n times; one FEValues object per n.
    const unsigned int n_gauss = fe.degree + 1;
    std::map<unsigned int, std::unique_ptr<FEValues<dim>>> fe_values_of;
    const auto fe_values_for =
      [&](const typename DoFHandler<dim>::active_cell_iterator &cell,
          const Point<dim> &h) -> FEValues<dim> & {
      const double min_h = *std::min_element(h.begin_raw(), h.end_raw());
      const unsigned int n_sub = std::max(
        1u,
        static_cast<unsigned int>(
          std::ceil(cell_size<dim>(cell) *
                    parameters.quadrature_points_per_radius /
                    (min_h * n_gauss) -
                    1e-12)));
      auto &fe_values = fe_values_of[n_sub];
      if (!fe_values)
        fe_values = std::make_unique<FEValues<dim>>(
          mapping,
          fe,
          QIterated<dim>(QGauss<1>(n_gauss), n_sub),
          update_values | update_quadrature_points | update_JxW_values);
      fe_values->reinit(cell);
      return *fe_values;
    };

    std::vector<std::vector<Row>> my_rows(targets.size(),
                                          std::vector<Row>(n_out));

    const unsigned int n_batches = Utilities::MPI::max(
      (targets.size() + batch_size - 1) / batch_size, communicator);
    std::vector<Point<dim>>                y;
    std::vector<double>                    w;
    std::vector<double>                    psi;
    std::vector<types::global_dof_index>   dofs(fe.n_dofs_per_cell());
    FullMatrix<double>                     local_rows(n_out, fe.n_dofs_per_cell());
    for (unsigned int batch = 0; batch < n_batches; ++batch)
      {
        const unsigned int begin =
          std::min<unsigned int>(batch * batch_size, targets.size());
        const unsigned int end =
          std::min<unsigned int>(begin + batch_size, targets.size());

        // 1. Send every target of the batch to the ranks whose cells its
        //    ball may meet.
        std::map<unsigned int, std::vector<double>>       requests;
        std::map<unsigned int, std::vector<unsigned int>> sent;
        for (unsigned int t = begin; t < end; ++t)
          {
            const Point<dim>       h   = radii(targets.cell_sizes[t]);
            const BoundingBox<dim> box = ball_box(targets.points[t], h);
            for (unsigned int r = 0; r < n_ranks; ++r)
              for (const auto &rank_box : rank_boxes[r])
                if (intersect(box, rank_box))
                  {
                    auto &request = requests[r];
                    for (unsigned int i = 0; i < dim; ++i)
                      request.push_back(targets.points[t][i]);
                    for (unsigned int i = 0; i < dim; ++i)
                      request.push_back(h[i]);
                    sent[r].push_back(t);
                    break;
                  }
          }
        const std::map<unsigned int, std::vector<double>> incoming =
          Utilities::MPI::some_to_some(communicator, requests);

        std::vector<RemoteTarget<dim>> remote;
        for (const auto &[rank, data] : incoming)
          for (std::size_t k = 0; k < data.size(); k += 2 * dim)
            {
              RemoteTarget<dim> target;
              target.owner = rank;
              for (unsigned int i = 0; i < dim; ++i)
                {
                  target.x[i] = data[k + i];
                  target.h[i] = data[k + dim + i];
                }
              remote.push_back(target);
            }

        // 2. The (cell, target) pairs, grouped by cell.
        std::vector<std::pair<typename Triangulation<dim>::active_cell_iterator,
                              unsigned int>>
          pairs;
        {
          std::vector<std::pair<BoundingBox<dim>,
                                typename Triangulation<dim>::active_cell_iterator>>
            hits;
          for (unsigned int i = 0; i < remote.size(); ++i)
            {
              hits.clear();
              cell_tree.query(boost::geometry::index::intersects(
                                ball_box(remote[i].x, remote[i].h)),
                              std::back_inserter(hits));
              for (const auto &hit : hits)
                pairs.emplace_back(hit.second, i);
            }
        }
        std::sort(pairs.begin(), pairs.end(), [](const auto &a, const auto &b) {
          return a.first->active_cell_index() < b.first->active_cell_index() ||
                 (a.first->active_cell_index() ==
                    b.first->active_cell_index() &&
                  a.second < b.second);
        });
        stats.n_pairs += pairs.size();

        const auto for_each_pair = [&](const auto &function) {
          for (const auto &[tria_cell, i] : pairs)
            {
              const typename DoFHandler<dim>::active_cell_iterator cell(
                &tria, tria_cell->level(), tria_cell->index(), &dof_handler);
              FEValues<dim> &fe_values = fe_values_for(cell, remote[i].h);
              y = fe_values.get_quadrature_points();
              w = fe_values.get_JxW_values();
              function(cell, fe_values, i);
            }
        };

        // 3. Moments: partial sums here, totals at the owner, which solves
        //    for the correction and returns it.
        std::vector<double> coefficients(remote.size() * coefficient_size);
        std::vector<double> n_inside(remote.size(), 0.);
        {
          std::vector<double> moments(remote.size() * moment_size, 0.);
          for_each_pair([&](const auto &, const FEValues<dim> &, const unsigned int i) {
            problem.add_moments(
              remote[i].x, remote[i].h, y, w, moments.data() + i * moment_size);
          });
          for (unsigned int i = 0; i < remote.size(); ++i)
            n_inside[i] = moments[(i + 1) * moment_size - 1];

          std::map<unsigned int, std::vector<double>> partial;
          {
            unsigned int i = 0;
            for (const auto &[rank, data] : incoming)
              {
                const unsigned int n = data.size() / (2 * dim);
                partial[rank].assign(moments.begin() + i * moment_size,
                                     moments.begin() + (i + n) * moment_size);
                i += n;
              }
          }
          const std::map<unsigned int, std::vector<double>> totals_in =
            Utilities::MPI::some_to_some(communicator, partial);

          std::vector<double> totals((end - begin) * moment_size, 0.);
          for (const auto &[rank, data] : totals_in)
            {
              const std::vector<unsigned int> &mine = sent.at(rank);
              for (unsigned int k = 0; k < mine.size(); ++k)
                for (unsigned int j = 0; j < moment_size; ++j)
                  totals[(mine[k] - begin) * moment_size + j] +=
                    data[k * moment_size + j];
            }

          std::vector<double> my_coefficients((end - begin) * coefficient_size,
                                              0.);
          for (unsigned int t = begin; t < end; ++t)
            {
              const double inside = totals[(t - begin + 1) * moment_size - 1];
              stats.min_points_in_ball =
                (t == begin && batch == 0) ?
                  static_cast<unsigned int>(inside) :
                  std::min(stats.min_points_in_ball,
                           static_cast<unsigned int>(inside));
              if (problem.is_corrected())
                problem.solve(targets.points[t],
                              radii(targets.cell_sizes[t]),
                              totals.data() + (t - begin) * moment_size,
                              my_coefficients.data() +
                                (t - begin) * coefficient_size);
              else
                AssertThrow(inside > 0,
                            ExcMessage("A kernel ball holds no quadrature "
                                       "points: increase the radius."));
            }

          std::map<unsigned int, std::vector<double>> replies;
          for (const auto &[rank, mine] : sent)
            {
              auto &reply = replies[rank];
              for (const unsigned int t : mine)
                reply.insert(reply.end(),
                             my_coefficients.begin() +
                               (t - begin) * coefficient_size,
                             my_coefficients.begin() +
                               (t - begin + 1) * coefficient_size);
            }
          const std::map<unsigned int, std::vector<double>> replies_in =
            Utilities::MPI::some_to_some(communicator, replies);
          unsigned int i = 0;
          for (const auto &[rank, data] : incoming)
            {
              const std::vector<double> &c = replies_in.at(rank);
              std::copy(c.begin(), c.end(),
                        coefficients.begin() + i * coefficient_size);
              i += data.size() / (2 * dim);
            }
        }

        // 4. The rows: this rank's parts, sent to the owners.
        std::vector<std::vector<Row>> remote_rows(remote.size(),
                                                  std::vector<Row>(n_out));
        for_each_pair([&](const auto &         cell,
                          const FEValues<dim> &fe_values,
                          const unsigned int   i) {
          problem.weights(remote[i].x,
                          remote[i].h,
                          problem.is_corrected() ?
                            coefficients.data() + i * coefficient_size :
                            nullptr,
                          y,
                          w,
                          psi);
          local_rows = 0.;
          bool any   = false;
          for (unsigned int q = 0; q < y.size(); ++q)
            for (unsigned int o = 0; o < n_out; ++o)
              if (const double weight = psi[q * n_out + o]; weight != 0.)
                {
                  any = true;
                  for (unsigned int j = 0; j < dofs.size(); ++j)
                    local_rows(o, j) += weight * fe_values.shape_value(j, q);
                }
          if (!any)
            return;
          cell->get_dof_indices(dofs);
          for (unsigned int j = 0; j < dofs.size(); ++j)
            for (unsigned int o = 0; o < n_out; ++o)
              {
                Row &row = remote_rows[i][o];
                if (constraints.is_constrained(dofs[j]))
                  {
                    for (const auto &[master, factor] :
                         *constraints.get_constraint_entries(dofs[j]))
                      row.emplace_back(master, factor * local_rows(o, j));
                  }
                else
                  row.emplace_back(dofs[j], local_rows(o, j));
              }
        });

        std::map<unsigned int, std::vector<double>> row_messages;
        {
          unsigned int i = 0;
          for (const auto &[rank, data] : incoming)
            {
              auto &message = row_messages[rank];
              for (unsigned int k = 0; k < data.size() / (2 * dim); ++k, ++i)
                for (unsigned int o = 0; o < n_out; ++o)
                  {
                    Row &row = remote_rows[i][o];
                    compress_row(row);
                    message.push_back(row.size());
                    for (const auto &[column, value] : row)
                      {
                        message.push_back(column);
                        message.push_back(value);
                      }
                    Row().swap(row);
                  }
            }
        }
        const std::map<unsigned int, std::vector<double>> rows_in =
          Utilities::MPI::some_to_some(communicator, row_messages);
        for (const auto &[rank, message] : rows_in)
          {
            std::size_t k = 0;
            for (const unsigned int t : sent.at(rank))
              for (unsigned int o = 0; o < n_out; ++o)
                {
                  const auto n = static_cast<std::size_t>(message[k++]);
                  Row &      row = my_rows[t][o];
                  for (std::size_t e = 0; e < n; ++e, k += 2)
                    row.emplace_back(
                      static_cast<types::global_dof_index>(message[k]),
                      message[k + 1]);
                }
          }
        for (unsigned int t = begin; t < end; ++t)
          for (unsigned int o = 0; o < n_out; ++o)
            compress_row(my_rows[t][o]);
      }

    stats.n_targets = rows.size();
    stats.n_pairs   = Utilities::MPI::sum(stats.n_pairs, communicator);
    stats.min_points_in_ball =
      targets.size() > 0 ? stats.min_points_in_ball :
                           std::numeric_limits<unsigned int>::max();
    stats.min_points_in_ball =
      Utilities::MPI::min(stats.min_points_in_ball, communicator);
    build_matrices(my_rows, communicator);
  }



  template <int dim>
  template <typename RowFunction>
  void
  ConvolutionOperator<dim>::for_each_point_row(
    const std::vector<Point<dim>> &data_points,
    const std::vector<double> &    weights,
    const Targets<dim> &           targets,
    const RowFunction &            row_function,
    const bool                     need_rows)
  {
    AssertThrow(weights.size() == data_points.size(),
                ExcDimensionMismatch(weights.size(), data_points.size()));
    const MPI_Comm communicator = targets.communicator;
    rows                        = targets.locally_owned_rows;
    columns = Utilities::create_evenly_distributed_partitioning(
      Utilities::MPI::this_mpi_process(communicator),
      Utilities::MPI::n_mpi_processes(communicator),
      static_cast<types::global_dof_index>(data_points.size()));
    stats = Statistics();

    // The bounding box of data and targets frames the correction basis.
    std::vector<Point<dim>> corners = data_points;
    corners.insert(corners.end(), targets.points.begin(), targets.points.end());
    const BoundingBox<dim>  local_box(corners);
    std::vector<Point<dim>> all_corners;
    for (const auto &part : Utilities::MPI::all_gather(
           communicator,
           std::vector<Point<dim>>{local_box.get_boundary_points().first,
                                   local_box.get_boundary_points().second}))
      all_corners.insert(all_corners.end(), part.begin(), part.end());
    const BoundingBox<dim> domain_box(all_corners);

    const MomentProblem<dim> problem(kernel,
                                     outputs,
                                     degrees,
                                     parameters.moment_corrected,
                                     domain_box);

    std::vector<std::pair<Point<dim>, unsigned int>> indexed_points;
    indexed_points.reserve(data_points.size());
    for (unsigned int k = 0; k < data_points.size(); ++k)
      indexed_points.emplace_back(data_points[k], k);
    const auto tree = pack_rtree(indexed_points);

    std::vector<std::pair<Point<dim>, unsigned int>> hits;
    std::vector<unsigned int>                        indices;
    std::vector<Point<dim>>                          y;
    std::vector<double>                              w, psi;
    std::vector<double> moments(problem.moment_size());
    std::vector<double> coefficients(problem.coefficient_size());
    stats.min_points_in_ball = std::numeric_limits<unsigned int>::max();
    for (unsigned int t = 0; t < targets.size(); ++t)
      {
        const Point<dim> &x = targets.points[t];
        const Point<dim>  h = radii(targets.cell_sizes[t]);
        hits.clear();
        tree.query(boost::geometry::index::intersects(ball_box(x, h)),
                   std::back_inserter(hits));
        // Visit the points in index order, whatever the tree's order.
        std::sort(hits.begin(), hits.end(), [](const auto &a, const auto &b) {
          return a.second < b.second;
        });
        y.clear();
        w.clear();
        indices.clear();
        for (const auto &hit : hits)
          {
            y.push_back(hit.first);
            w.push_back(weights[hit.second]);
            indices.push_back(hit.second);
          }
        stats.n_pairs += hits.size();

        std::fill(moments.begin(), moments.end(), 0.);
        problem.add_moments(x, h, y, w, moments.data());
        const double inside = moments.back();
        stats.min_points_in_ball =
          std::min(stats.min_points_in_ball, static_cast<unsigned int>(inside));
        if (problem.is_corrected())
          problem.solve(x, h, moments.data(), coefficients.data());
        else
          AssertThrow(inside > 0,
                      ExcMessage("A kernel ball holds no data points: "
                                 "increase the radius."));
        if (!need_rows)
          continue;
        problem.weights(x,
                        h,
                        problem.is_corrected() ? coefficients.data() : nullptr,
                        y,
                        w,
                        psi);
        row_function(t, indices, psi);
      }

    stats.n_targets = rows.size();
    stats.n_pairs   = Utilities::MPI::sum(stats.n_pairs, communicator);
    stats.min_points_in_ball =
      Utilities::MPI::min(stats.min_points_in_ball, communicator);
  }



  template <int dim>
  void
  ConvolutionOperator<dim>::reinit(const std::vector<Point<dim>> &data_points,
                                   const std::vector<double> &    weights,
                                   const Targets<dim> &           targets)
  {
    const unsigned int            n_out = outputs.size();
    std::vector<std::vector<Row>> my_rows(targets.size(),
                                          std::vector<Row>(n_out));
    for_each_point_row(data_points,
                       weights,
                       targets,
                       [&](const unsigned int               t,
                           const std::vector<unsigned int> &indices,
                           const std::vector<double> &      psi) {
                         for (unsigned int q = 0; q < indices.size(); ++q)
                           for (unsigned int o = 0; o < n_out; ++o)
                             if (psi[q * n_out + o] != 0.)
                               my_rows[t][o].emplace_back(indices[q],
                                                          psi[q * n_out + o]);
                       });
    build_matrices(my_rows, targets.communicator);
  }



  template <int dim>
  void
  ConvolutionOperator<dim>::convolve(
    const std::vector<Point<dim>> &          data_points,
    const std::vector<double> &              weights,
    const Targets<dim> &                     targets,
    const std::vector<std::vector<double>> &snapshots,
    std::vector<std::vector<LA::Vector>> &   results)
  {
    const unsigned int n_out = outputs.size();
    for (const auto &snapshot : snapshots)
      AssertThrow(snapshot.size() == data_points.size(),
                  ExcDimensionMismatch(snapshot.size(), data_points.size()));
    std::vector<std::vector<std::vector<double>>> sums(
      snapshots.size(),
      std::vector<std::vector<double>>(n_out,
                                       std::vector<double>(targets.size())));
    for_each_point_row(data_points,
                       weights,
                       targets,
                       [&](const unsigned int               t,
                           const std::vector<unsigned int> &indices,
                           const std::vector<double> &      psi) {
                         for (unsigned int s = 0; s < snapshots.size(); ++s)
                           for (unsigned int o = 0; o < n_out; ++o)
                             {
                               double sum = 0.;
                               for (unsigned int q = 0; q < indices.size(); ++q)
                                 sum += psi[q * n_out + o] *
                                        snapshots[s][indices[q]];
                               sums[s][o][t] = sum;
                             }
                       },
                       /*need_rows=*/!snapshots.empty());
    matrices.clear();
    results.assign(snapshots.size(), std::vector<LA::Vector>(n_out));
    for (unsigned int s = 0; s < snapshots.size(); ++s)
      for (unsigned int o = 0; o < n_out; ++o)
        {
          LA::Vector &result = results[s][o];
          result.reinit(rows, targets.communicator);
          unsigned int t = 0;
          for (const auto row : rows)
            result[row] = sums[s][o][t++];
          result.compress(VectorOperation::insert);
        }
  }



  template <int dim>
  void
  ConvolutionOperator<dim>::build_matrices(
    std::vector<std::vector<Row>> &my_rows,
    const MPI_Comm                 communicator)
  {
    matrices.clear();
    types::global_dof_index nonzeros       = 0;
    unsigned int            max_row_length = 0;
    for (unsigned int o = 0; o < outputs.size(); ++o)
      {
        DynamicSparsityPattern pattern(rows.size(), columns.size(), rows);
        std::vector<types::global_dof_index> indices;
        for (unsigned int t = 0; t < my_rows.size(); ++t)
          {
            indices.clear();
            for (const auto &entry : my_rows[t][o])
              indices.push_back(entry.first);
            pattern.add_entries(rows.nth_index_in_set(t),
                                indices.begin(),
                                indices.end(),
                                /*indices_are_sorted=*/true);
            max_row_length =
              std::max<unsigned int>(max_row_length, indices.size());
            if (o == 0)
              nonzeros += indices.size();
          }
        auto matrix = std::make_unique<LA::SparseMatrix>();
        matrix->reinit(rows, columns, pattern, communicator);
        std::vector<double> values;
        for (unsigned int t = 0; t < my_rows.size(); ++t)
          {
            indices.clear();
            values.clear();
            for (const auto &entry : my_rows[t][o])
              {
                indices.push_back(entry.first);
                values.push_back(entry.second);
              }
            if (!indices.empty())
              matrix->set(rows.nth_index_in_set(t),
                          indices.size(),
                          indices.data(),
                          values.data());
          }
        matrix->compress(VectorOperation::insert);
        matrices.push_back(std::move(matrix));
        // The rows of this output are in the matrix now: free them before
        // the next output's pattern is built.
        for (auto &row : my_rows)
          Row().swap(row[o]);
      }
    stats.n_nonzeros     = Utilities::MPI::sum(nonzeros, communicator);
    stats.max_row_length = Utilities::MPI::max(max_row_length, communicator);
  }



  template <int dim>
  unsigned int
  ConvolutionOperator<dim>::n_outputs() const
  {
    return outputs.size();
  }



  template <int dim>
  const DifferentialOperator<dim> &
  ConvolutionOperator<dim>::output(const unsigned int index) const
  {
    AssertIndexRange(index, outputs.size());
    return outputs[index];
  }



  template <int dim>
  unsigned int
  ConvolutionOperator<dim>::reproduction_degree(const unsigned int index) const
  {
    AssertIndexRange(index, degrees.size());
    return degrees[index];
  }



  template <int dim>
  void
  ConvolutionOperator<dim>::apply(const unsigned int index,
                                  const LA::Vector & source,
                                  LA::Vector &       result) const
  {
    AssertIndexRange(index, matrices.size());
    if (result.locally_owned_elements() != rows)
      result.reinit(rows, matrices[index]->get_mpi_communicator());
    matrices[index]->vmult(result, source);
  }



  template <int dim>
  const LA::SparseMatrix &
  ConvolutionOperator<dim>::matrix(const unsigned int index) const
  {
    AssertIndexRange(index, matrices.size());
    return *matrices[index];
  }



  template <int dim>
  const IndexSet &
  ConvolutionOperator<dim>::column_partitioning() const
  {
    return columns;
  }



  template <int dim>
  const IndexSet &
  ConvolutionOperator<dim>::row_partitioning() const
  {
    return rows;
  }



  template <int dim>
  const typename ConvolutionOperator<dim>::Statistics &
  ConvolutionOperator<dim>::statistics() const
  {
    return stats;
  }



  template class ConvolutionOperator<1>;
  template class ConvolutionOperator<2>;
  template class ConvolutionOperator<3>;
} // namespace mollifem
